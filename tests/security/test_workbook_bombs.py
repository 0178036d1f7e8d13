"""Memory bombs: a small `.xlsx` whose sheet spans a huge rectangle (one cell at XFD1048576
asks the reader for 512 GiB). The sheet is refused before it is loaded, or the reading child
process dies at its memory limit; the portal's process answers with a Russian message and
the upload ends checked, with that error (never left «проверяется»)."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from profdev import uploads
from profdev.models import Upload
from profdev.workbook.importer import analyse_workbook
from profdev.workbook.sheet_process import within
from tests.profdev.workbook.builders import school, xlsx

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
TOO_LARGE = (
    "лист «ОО» занимает область {area} — больше 20\u00a0000\u00a0000 ячеек: удалите лишние "
    "строки и столбцы (в том числе пустые, но оформленные) или разделите книгу на части"
)
DIED = (
    "лист «ОО» не удалось прочитать: слишком много данных для проверки; удалите лишние "
    "строки и столбцы (в том числе пустые, но оформленные) или разделите книгу на части"
)
HEADER = '<row r="1"><c r="A1" t="inlineStr"><is><t>Код ОО</t></is></c></row>'.encode()


def hostile_book(sheet_data: bytes, dimension: str = "") -> bytes:
    """A minimal `.xlsx` with one sheet «ОО» holding `sheet_data` (its rows' XML)."""
    claim = f'<dimension ref="{dimension}"/>' if dimension else ""
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
            f'Type="{DOCUMENT}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN}" xmlns:r="{DOCUMENT}"><sheets>'
            '<sheet name="ОО" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
            f'Type="{DOCUMENT}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{MAIN}">{claim}<sheetData>'.encode()
            + sheet_data
            + b"</sheetData></worksheet>"
        ),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()


def one_far_cell(reference: str, row: int, dimension: str = "") -> bytes:
    far = f'<row r="{row}"><c r="{reference}"><v>1</v></c></row>'.encode()
    return hostile_book(HEADER + far, dimension)


# Cells without references: calamine counts their positions, the scan cannot see them.
UNREFERENCED = hostile_book(
    b'<row r="1"><c><v>1</v></c></row><row r="1048576">'
    + b"<c></c>" * 16383
    + b"<c><v>1</v></c></row>"
)


def messages(data: bytes) -> list[str]:
    return [e.message for e in analyse_workbook(io.BytesIO(data)).errors]


@pytest.mark.parametrize("dimension", ["A1:XFD1048576", ""])
def test_a_cell_at_the_last_cell_of_excel_is_refused_before_loading(district, dimension):
    """Whether the sheet claims its size (`<dimension>`) or not, its cells are scanned."""
    bomb = one_far_cell("XFD1048576", 1048576, dimension)
    assert len(bomb) < 2000

    assert messages(bomb) == [TOO_LARGE.format(area="A1:XFD1048576")]


def test_a_sheet_claiming_a_small_size_falsely_ends_at_the_memory_limit(district):
    assert messages(one_far_cell("XFD1048576", 1048576, dimension="A1:B2")) == [DIED]


def test_a_cell_at_az1000000_is_refused_before_loading(district):
    assert messages(one_far_cell("AZ1000000", 1000000)) == [TOO_LARGE.format(area="A1:AZ1000000")]


def test_cells_without_references_end_at_the_readers_memory_limit(district):
    assert messages(UNREFERENCED) == [DIED]
    # This process lives on and reads the next book as usual.
    assert messages(xlsx({"ОО": [school()]}).getvalue()) == []


@pytest.mark.parametrize(
    ("reference", "inside"),
    [("Z769230", True), ("AA2", False), ("A769231", False), ("A0769231", False), ("XFD2", False)],
)
def test_the_first_scan_finds_a_cell_beyond_its_rectangle(reference, inside):
    """A sheet without a claim is first searched for a cell beyond A1:Z769230 (within the
    limits); only a sheet with one is scanned for its farthest cell."""
    row = int(reference.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    archive = zipfile.ZipFile(io.BytesIO(one_far_cell(reference, row)))

    assert within(archive, "xl/worksheets/sheet1.xml", 769_230, 26) is inside


def test_a_sheet_beyond_the_first_scan_but_within_the_limits_is_read(district):
    far = '<row r="2"><c r="AB2" t="inlineStr"><is><t>лишнее</t></is></c></row>'.encode()

    assert set(messages(hostile_book(HEADER + far))) == {
        "нет обязательного столбца",
        "обязательное поле не заполнено",  # the row is read
    }


def test_cells_formatted_far_away_do_not_count(district):
    """Excel writes formatting-only cells (`<c r=… s=…/>`) and counts them in its claim."""
    styled = b'<row r="1048576"><c r="XFD1048576" s="1"/></row>'
    book = hostile_book(HEADER + styled, dimension="A1:XFD1048576")

    assert set(messages(book)) == {"нет обязательного столбца"}  # the header is short


@pytest.mark.parametrize("in_background", [False, True])
@pytest.mark.parametrize(
    ("bomb", "message"),
    [
        (one_far_cell("XFD1048576", 1048576), TOO_LARGE.format(area="A1:XFD1048576")),
        (UNREFERENCED, DIED),
    ],
)
def test_an_uploaded_bomb_ends_checked_with_the_message(
    client_for, school_admin, school, bomb, message, in_background, monkeypatch
):
    if in_background:
        monkeypatch.setattr(uploads, "BACKGROUND_BYTES", 0)
    client = client_for(school_admin)

    response = client.post(
        reverse("school_upload", args=[school.code]),
        {"file": SimpleUploadedFile("ОО.xlsx", bomb)},
        follow=True,
    )
    page = response.content.decode()

    upload = Upload.objects.get()
    assert upload.status == Upload.Status.CHECKED
    assert upload.summary["error_count"] == 1
    assert message in page
    assert "Записать изменения" not in page
