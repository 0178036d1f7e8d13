import datetime as dt
import io
import itertools
from collections import defaultdict

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from deficits.models import CourseOrderLine
from monitoring.models import IndicatorValue, MonitoringYear
from profdev import models
from profdev.demo.generator import _surname, generate_sheets, write_region
from profdev.demo.loading import DEMO_PASSWORD
from profdev.text import snils_is_valid
from profdev.workbook.importer import import_workbook
from recommendations.models import Letter

SMALL = {"schools": 5, "staff": 120, "seed": 7}
PERSON_COLUMNS = (
    "Фамилия",
    "Имя",
    "Отчество",
    "Пол",
    "Дата рождения",
    "Образование",
    "Педагогический стаж с",
)


def materialise(sheets) -> dict[str, list[dict]]:
    return {
        name: [dict(zip(h, r, strict=True)) for r in rows] for name, (h, rows) in sheets.items()
    }


@pytest.fixture(scope="module")
def region():
    return materialise(generate_sheets(schools=8, staff=500, seed=11, districts=("ZR", "OZ")))


def test_same_seed_gives_the_same_rows_and_another_seed_other_rows():
    first = materialise(generate_sheets(**SMALL))
    assert first == materialise(generate_sheets(**SMALL))
    assert first["Педагоги"] != materialise(generate_sheets(**{**SMALL, "seed": 8}))["Педагоги"]


def test_every_sheet_of_the_format_is_filled(region):
    assert list(region) == [
        "ОО",
        "Организации ДПО",
        "Педагоги",
        "Курсы",
        "Аттестация",
        "Конкурсы",
        "Наставничество",
        "Диагностика",
        "ИОМ",
        "Деятельность",
        "Выгорание",
        "Вакансии",
        "Результаты обучающихся",
    ]
    assert all(region[name] for name in region)


def test_teachers_have_the_subjects_of_their_positions(region):
    by_position = {r["Должность"]: r["Предметы"] for r in region["Педагоги"]}
    assert by_position["учитель математики"] == "математика"
    assert by_position["учитель истории и обществознания"] == "история; обществознание"
    assert by_position["воспитатель"] is None


def test_results_show_problem_fields_in_russian_and_maths(region):
    """Some general schools fail in maths and Russian at ≥ 15 % in every year (results.md),
    the others stay well below."""
    general = {s["Код ОО"] for s in region["ОО"] if s["Тип ОО"] == "общеобразовательная"}
    results = region["Результаты обучающихся"]
    assert {r["Код ОО"] for r in results} == general
    assert {r["Процедура"] for r in results} == {"ВПР", "ОГЭ", "ЕГЭ", "НОКО"}
    totals = defaultdict(lambda: [0, 0])
    for r in results:
        assert 0 <= r["Не справились"] <= r["Участников"]
        total = totals[r["Учебный год"], r["Код ОО"], r["Предмет"]]
        total[0] += r["Не справились"]
        total[1] += r["Участников"]
    problems = defaultdict(set)
    for (year, code, subject), (failed, participants) in totals.items():
        if subject in ("русский язык", "математика") and 100 * failed >= 15 * participants:
            problems[year].add(code)
    assert len(problems) == 5
    assert all(len(codes) >= 2 for codes in problems.values())


def test_snils_checksums_are_valid_and_a_persons_fields_agree_across_rows(region):
    persons = {}
    for row in region["Педагоги"]:
        snils = row["СНИЛС"].replace("-", "").replace(" ", "")
        assert snils_is_valid(snils), row["СНИЛС"]
        own = tuple(row[c] for c in PERSON_COLUMNS)
        assert persons.setdefault(snils, own) == own
    assert len(persons) == 500


def test_no_overlapping_main_employments_and_dismissal_after_hire(region):
    spans = defaultdict(list)
    for row in region["Педагоги"]:
        end = row["Дата увольнения"] or dt.date.max
        assert end >= row["Дата приема"]
        if row["Место работы"] == "основное":
            spans[row["СНИЛС"]].append((row["Дата приема"], end))
    for person_spans in spans.values():
        person_spans.sort()
        for (_, left), (hired, _) in itertools.pairwise(person_spans):
            assert left < hired
    assert any(len(s) == 2 for s in spans.values()), "some staff moved between schools"
    assert any(r["Место работы"] == "совместительство" for r in region["Педагоги"])


def test_schools_districts_and_providers_look_like_a_real_district(region):
    schools = region["ОО"]
    assert {s["Тип ОО"] for s in schools} == {
        "общеобразовательная",
        "дошкольная",
        "дополнительного образования",
    }
    assert {s["Муниципалитет"] for s in schools} == {"ZR", "OZ"}
    assert any(s["ШНОР"] == "да" for s in schools)
    general = next(s for s in schools if s["Тип ОО"] == "общеобразовательная")
    assert general["Наименование"].startswith(
        "Муниципальное бюджетное общеобразовательное учреждение «"
    )
    assert general["Краткое наименование"].startswith("МБОУ ")
    kinds = {p["Вид"] for p in region["Организации ДПО"]}
    assert kinds == {"региональная", "муниципальная", "федеральная", "сторонняя"}
    assert any(not p["Лицензия"] for p in region["Организации ДПО"])
    # Each district's own methodological service.
    municipal = [
        p["Наименование"] for p in region["Организации ДПО"] if p["Вид"] == "муниципальная"
    ]
    assert len(municipal) == 2


def test_rows_keep_the_importers_rules(region):
    for row in region["Курсы"]:
        assert row["Часы"] >= (16 if row["Вид программы"] == "ПК" else 250)
    assert all(r["СНИЛС наставника"] != r["СНИЛС наставляемого"] for r in region["Наставничество"])
    scores = (
        "Предметный",
        "Методический",
        "Оценочный",
        "Психолого-педагогический",
        "Коммуникативный",
        "Цифровой",
    )
    assert all(any(r[c] is not None for c in scores) for r in region["Диагностика"])
    distance = [r for r in region["Курсы"] if r["ДОТ"] == "да"]
    assert len(distance) > len(region["Курсы"]) / 3, "many distance courses, as the seeds found"


def test_female_surnames_and_patronymics_take_the_female_form():
    assert _surname("Иванов", female=True) == "Иванова"
    assert _surname("Островский", female=True) == "Островская"
    assert _surname("Толстой", female=True) == "Толстая"
    assert _surname("Шевченко", female=True) == "Шевченко"
    assert _surname("Иванов", female=False) == "Иванов"


def test_region_too_small_for_its_schools_is_refused_in_russian(tmp_path):
    with pytest.raises(CommandError, match="не меньше трёх на каждую ОО"):
        call_command(
            "generate_workbook", str(tmp_path / "x.xlsx"), "--schools", "10", "--staff", "20"
        )


def test_generate_workbook_writes_the_file_and_counts_rows(tmp_path):
    out = io.StringIO()
    target = tmp_path / "region.xlsx"
    call_command("generate_workbook", str(target), "--schools", "3", "--staff", "30", stdout=out)
    assert target.stat().st_size > 0
    assert "ОО: 3" in out.getvalue()


@pytest.mark.django_db
def test_a_generated_workbook_imports_without_errors():
    models.District.objects.create(code="ZR", name="Заречный муниципальный округ")
    buffer = io.BytesIO()
    counts = write_region(buffer, **SMALL)
    buffer.seek(0)
    analysis = import_workbook(buffer)
    assert [str(e) for e in analysis.errors] == []
    assert models.Person.objects.count() == 120
    assert models.Employment.objects.count() == counts["Педагоги"]
    assert models.CourseCompletion.objects.count() == counts["Курсы"]


RECORD_MODELS = (
    models.School,
    models.Provider,
    models.Person,
    models.Employment,
    models.CourseCompletion,
    models.Attestation,
    models.ContestParticipation,
    models.MentorshipPair,
    models.DeficitDiagnostic,
    models.DevelopmentRoute,
    models.ProfessionalActivity,
    models.BurnoutRecord,
    models.Vacancy,
    models.RoleGrant,
    MonitoringYear,
    IndicatorValue,
)


def snapshot():
    users = get_user_model().objects.order_by("username").values_list("username", "password")
    return [m.objects.count() for m in RECORD_MODELS], list(users)


@pytest.mark.django_db
def test_load_demo_on_an_empty_database_then_again_changes_nothing():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert DEMO_PASSWORD in out.getvalue()

    district = models.District.objects.get(code="ZR")
    assert district.organisation.head_position == "Начальник управления образования"
    schools = list(models.School.objects.filter(district=district))
    assert len(schools) == 12
    assert {s.kind for s in schools} == set(models.School.Kind.values)
    assert models.Person.objects.count() == 400

    users = get_user_model().objects
    for username in ("metodist", "nachalnik", "admin"):
        assert users.get(username=username).check_password(DEMO_PASSWORD)
    assert users.get(username="admin").is_superuser
    assert models.RoleGrant.objects.filter(
        user__username="metodist", role="methodologist", district=district
    ).exists()
    deputies = set()
    for school in schools:
        grant = models.RoleGrant.objects.get(user__username=f"ou-{school.code}")
        assert (grant.role, grant.school) == ("school_admin", school)
        deputies.add(grant.user.get_full_name())
    # Each school's deputy head has a name of their own (acknowledgements show it).
    assert len(deputies) == len(schools) and "" not in deputies

    # The logins are printed as a table: role, login, where they land; every school's too.
    table = out.getvalue().split("пароль не меняется).\n")[1].splitlines()
    assert [" ".join(line.split()) for line in table] == [
        "роль логин начальная страница",
        "методист ИМК metodist /monitoring/ — обзор муниципалитета",
        "начальник отдела образования nachalnik /monitoring/ — обзор муниципалитета",
        "администратор admin /admin/ — администрирование портала",
        *(
            f"администратор ОО ou-{s.code} /schools/{s.code}/ — {s.short_name}"
            for s in sorted(schools, key=lambda s: s.code)
        ),
    ]

    # In the current year one letter is a draft and one awaits signature, both with an executor.
    current = Letter.objects.filter(monitoring_year__year=2024).exclude(status="signed")
    assert sorted(current.values_list("kind", "status", "executor__username")) == [
        ("course_order", "draft", "metodist"),  # the course order's letter to a provider
        ("school", "draft", "metodist"),
        ("school", "sent", "metodist"),
    ]
    # Targeted support is filled: routes as plans, schools' answers, the course order.
    assert "ИОМ с планом: 8; ответов ОО на письма: 6; план-заказ: строк с организацией" in (
        out.getvalue()
    )
    assert models.RouteActivity.objects.count() == 3 * 8
    assert CourseOrderLine.objects.filter(provider__isnull=False, number__gt=0).exists()

    years = MonitoringYear.objects.filter(district=district).order_by("year")
    assert [(y.year, y.basis_number, y.computed_at is not None) for y in years] == [
        (2023, "01-10/214", True),
        (2024, "01-10/187", True),
    ]
    assert IndicatorValue.objects.filter(monitoring_year__in=years, school=None).exists()

    # What people changed since the first run stays as they left it.
    metodist = users.get(username="metodist")
    metodist.set_password("svoj-parol-2025")
    metodist.save()
    models.Organisation.objects.filter(district=district).update(phone="(84455) 9-99-99")
    before = snapshot()
    again = io.StringIO()
    call_command("load_demo", stdout=again)
    assert snapshot() == before
    assert users.get(username="metodist").check_password("svoj-parol-2025")
    assert models.Organisation.objects.get(district=district).phone == "(84455) 9-99-99"
    assert "создано 0, изменено 0" in again.getvalue()
    assert "уже рассчитан" in again.getvalue()


@pytest.mark.django_db
def test_the_demo_fills_requisites_added_since_and_keeps_edited_ones():
    from profdev.demo.loading import DEMO_DISTRICT, load_district

    load_district()
    organisation = models.Organisation.objects.get(district__code=DEMO_DISTRICT)
    models.Organisation.objects.filter(pk=organisation.pk).update(
        name_dative="", phone="(84455) 9-99-99"
    )
    load_district()
    organisation.refresh_from_db()
    assert organisation.name_dative == "Заречному муниципальному округу"
    assert organisation.phone == "(84455) 9-99-99"
    assert organisation.missing() == []
