"""Hostile workbooks: random bytes, truncated and oversized files, zip bombs, and random values
in every column of every sheet. The importer never crashes (it reports errors in Russian)
and never writes part of a file: after a failed import the database is exactly as before."""

import datetime as dt
import io
import zipfile
from collections import Counter

import openpyxl
import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from profdev.text import match_key
from profdev.workbook.importer import analyse_workbook, import_workbook, state_token
from profdev.workbook.reader import Issue
from profdev.workbook.sheets import SHEETS
from profdev.workbook.writer import write_workbook
from tests.data import EXAMPLE
from tests.security.conftest import load_example

FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TRIED = Counter()  # inputs tried per fuzzer, printed with -s (the report's counts)
EXAMPLE_BYTES = EXAMPLE.read_bytes()


def sheets_of(data: bytes) -> dict[str, tuple[list, list[list]]]:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    result = {}
    for sheet in book.worksheets:
        header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        result[sheet.title] = (header, [r for r in rows if any(v is not None for v in r)])
    return result


def complete(sheets):
    """The example with every column of the format and a row on every sheet, so that every
    column of every sheet can be fuzzed: the district code on «ОО», the staff's subjects, one
    vacancy, the components of the routes, an activity of the first route, one result."""
    header, rows = sheets["ОО"]
    sheets["ОО"] = ([*header, "Муниципалитет"], [[*row, "ZH"] for row in rows])
    header, rows = sheets["Педагоги"]
    sheets["Педагоги"] = ([*header, "Предметы"], [[*row, "математика; физика"] for row in rows])
    sheets["Результаты обучающихся"] = (
        [
            "Код ОО",
            "Учебный год",
            "Процедура",
            "Предмет",
            "Параллель",
            "Участников",
            "Не справились",
            "Средний балл",
        ],
        [["ZH-01", "2024/2025", "ВПР", "математика", 5, 48, 9, 3.75]],
    )
    sheets["Вакансии"][1].append(["ZH-01", "учитель физики", 1, dt.date(2024, 9, 1), None])
    header, rows = sheets["ИОМ"]
    sheets["ИОМ"] = ([*header, "Компоненты"], [[*row, "Цифровой"] for row in rows])
    snils, started_on = rows[0][0], rows[0][1]
    sheets["Мероприятия ИОМ"] = (
        [
            "СНИЛС",
            "Дата начала ИОМ",
            "Вид",
            "Тематика",
            "Мероприятие",
            "Описание",
            "Дата начала",
            "Дата окончания",
            "Статус",
        ],
        [[snils, started_on, "курс", "цифровые", "ЦОС", "", started_on, None, "выполнено"]],
    )
    return sheets


BASE = complete(sheets_of(EXAMPLE_BYTES))


def xlsx(sheets) -> bytes:
    out = io.BytesIO()
    write_workbook(sheets, out)
    return out.getvalue()


def is_clear(issue: Issue) -> bool:
    """A message for a person: non-empty, in Russian."""
    return bool(issue.message) and any("а" <= ch.lower() <= "я" for ch in issue.message)


def assert_refused_cleanly(data: bytes) -> list[Issue]:
    analysis = analyse_workbook(io.BytesIO(data))
    assert analysis.errors, "a broken file must not pass"
    assert all(is_clear(e) for e in analysis.errors), analysis.errors
    return analysis.errors


@pytest.fixture
def loaded(district):
    load_example(district)
    return district


# Broken files -----------------------------------------------------------------------------


@FUZZ
@given(data=st.binary(max_size=4096))
def test_random_bytes_are_refused_with_a_message(district, data):
    TRIED["random bytes"] += 1
    assert_refused_cleanly(data)


@FUZZ
@given(tail=st.binary(max_size=2048))
def test_random_bytes_behind_a_zip_signature_are_refused(district, tail):
    TRIED["zip signature + random bytes"] += 1
    assert_refused_cleanly(b"PK\x03\x04" + tail)


@FUZZ
@given(cut=st.integers(min_value=0, max_value=len(EXAMPLE_BYTES) - 1))
def test_a_truncated_workbook_is_refused(district, cut):
    TRIED["truncated workbook"] += 1
    assert_refused_cleanly(EXAMPLE_BYTES[:cut])


@FUZZ
@given(
    position=st.integers(min_value=0, max_value=len(EXAMPLE_BYTES) - 1), byte=st.integers(0, 255)
)
def test_a_corrupted_byte_never_crashes_the_importer(loaded, position, byte):
    TRIED["one corrupted byte"] += 1
    data = bytearray(EXAMPLE_BYTES)
    data[position] = byte
    before = state_token()
    with transaction.atomic():
        analysis = import_workbook(io.BytesIO(bytes(data)))
        transaction.set_rollback(True)
    assert all(is_clear(e) for e in analysis.errors)
    assert state_token() == before


def test_an_oversized_file_is_refused_before_reading(district, settings):
    settings.WORKBOOK_MAX_BYTES = 1024 * 1024
    errors = assert_refused_cleanly(EXAMPLE_BYTES + b"\0" * settings.WORKBOOK_MAX_BYTES)
    assert errors[0].message == "файл больше 1 МБ: разделите книгу на несколько файлов"


def test_a_zip_bomb_is_refused_without_unpacking(district, settings):
    settings.WORKBOOK_MAX_BYTES = 1024 * 1024
    out = io.BytesIO()
    with zipfile.ZipFile(EXAMPLE, "r") as source, zipfile.ZipFile(out, "w") as bomb:
        for item in source.infolist():
            bomb.writestr(item, source.read(item.filename), zipfile.ZIP_DEFLATED)
        # 25 MB of zeros compress to about 25 KB: small upload, huge when unpacked.
        bomb.writestr("xl/media/padding.bin", b"\0" * (25 * 1024 * 1024), zipfile.ZIP_DEFLATED)
    assert len(out.getvalue()) < 100 * 1024
    errors = assert_refused_cleanly(out.getvalue())
    assert errors[0].message == (
        "после распаковки файл занимает больше 20 МБ: разделите книгу на несколько файлов"
    )


def test_too_many_rows_are_refused_with_the_limit(district, settings):
    settings.WORKBOOK_MAX_ROWS = 50
    errors = assert_refused_cleanly(EXAMPLE_BYTES)
    assert [e.message for e in errors] == ["в книге больше 50 строк: разделите её на части"]


# Hostile values in every column ------------------------------------------------------------

HOSTILE_TEXT = st.sampled_from(
    [
        '<script>alert("x")</script>',
        '"><img src=x onerror=alert(1)>',
        '=HYPERLINK("http://example.com","x")',
        "+7 (912) 000-00-00",
        "-1",
        "@SUM(A1:A9)",
        "Иванова".encode().decode("cp1251", errors="replace"),  # UTF-8 read as Windows-1251
        "Иванова".encode("cp1251").decode("latin-1"),  # Windows-1251 read as Latin-1
        "\u202eавонавИ",  # right-to-left override
        "\ufeffИванова",  # byte order mark
        "Robert'); DROP TABLE profdev_person;--",
        "31.02.2024",
        "00.00.0000",
        "1899-12-30",
        "9999-12-31",
        "123-456-789 01",
        "да нет",
        "NaN",
    ]
)


def _cell_safe(text: str) -> str:
    """Control characters as the `_xHHHH_` escapes a real file stores them as (openpyxl
    refuses them raw; the reader decodes them back)."""
    return ILLEGAL_CHARACTERS_RE.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


VALUES = st.one_of(
    HOSTILE_TEXT,
    st.text(max_size=60).map(_cell_safe),
    st.text(min_size=300, max_size=3000).map(_cell_safe),  # over every column's length
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.none(),
)
CELLS = [
    (name, column) for name, (header, rows) in BASE.items() for column in range(len(header)) if rows
]
EDITS = st.lists(
    st.tuples(st.sampled_from(CELLS), st.integers(min_value=0, max_value=200), VALUES),
    min_size=1,
    max_size=6,
)


def test_every_column_of_every_sheet_is_fuzzed():
    fuzzed = {(name, match_key(BASE[name][0][column])) for name, column in CELLS}
    assert fuzzed >= {(s.name, match_key(c.header)) for s in SHEETS for c in s.columns}


@FUZZ
@given(edits=EDITS)
def test_hostile_cells_give_errors_or_a_clean_import_never_half_of_one(loaded, edits):
    TRIED["workbooks with hostile cells"] += 1
    sheets = {name: (header, [list(r) for r in rows]) for name, (header, rows) in BASE.items()}
    for (name, column), row, value in edits:
        rows = sheets[name][1]
        rows[row % len(rows)][column] = value
        TRIED["hostile cells"] += 1
    before = state_token()
    with transaction.atomic():
        analysis = import_workbook(io.BytesIO(xlsx(sheets)))
        failed_state = state_token()
        transaction.set_rollback(True)
    assert all(is_clear(e) for e in analysis.errors), analysis.errors
    if analysis.errors:
        assert failed_state == before  # nothing half-written
        TRIED["refused with errors"] += 1
    else:
        assert analysis.applied
        TRIED["imported whole"] += 1


@pytest.fixture(scope="module", autouse=True)
def report_counts():
    yield
    print("\nФаззинг импорта:", dict(TRIED))
