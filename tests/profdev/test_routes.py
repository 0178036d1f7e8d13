"""Routes (ИОМ) as plans: the deficits a route addresses, the default ones from the person's
diagnostics, the outcome read from the next diagnostic, and the service other pages use."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError

from profdev import selectors, services
from profdev.models import (
    DIAGNOSTIC_COMPONENTS,
    ChangeRecord,
    DevelopmentRoute,
    RouteActivity,
    School,
)
from profdev.workbook import rules, sheets
from profdev.workbook.exporter import export_workbook
from profdev.workbook.importer import import_workbook
from profdev.workbook.sheets import ROUTE_ACTIVITIES
from tests import factories
from tests.factories import next_snils
from tests.profdev.workbook.builders import school, staff, xlsx

D = dt.date


def diagnostic(person, date, instrument="ЕФОМ", **scores):
    """A diagnostic with only the given components scored."""
    fields = {**dict.fromkeys(DIAGNOSTIC_COMPONENTS), **scores}
    return factories.DiagnosticFactory(person=person, date=date, instrument=instrument, **fields)


def test_components_are_stored_in_the_diagnostic_order_and_named_as_its_columns():
    assert DevelopmentRoute.encode_components(["digital", "subject", "digital"]) == (
        ",subject,digital,"
    )
    assert DevelopmentRoute.encode_components([]) == ""
    route = DevelopmentRoute(components=",methodical,psychological,")
    assert route.component_names() == ["Методический", "Психолого-педагогический"]
    with pytest.raises(ValueError):
        DevelopmentRoute.encode_components(["astrology"])


def test_the_components_cell_takes_labels_in_any_case_and_names_a_wrong_one():
    assert rules.components("цифровой; ПРЕДМЕТНЫЙ,оценочный") == ",subject,assessment,digital,"
    assert rules.validate(rules.components, "Цифровой; астрология")[1] == (
        "компонент «астрология» — нет такого значения; допустимо: Предметный · Методический · "
        "Оценочный · Психолого-педагогический · Коммуникативный · Цифровой"
    )


@pytest.mark.django_db
def test_default_components_are_the_deficits_of_the_latest_score_of_each():
    person = factories.PersonFactory()
    # Subject: 50 then 70 → no deficit at the end; methodical: 80 then 59 → deficit;
    # digital: two rows on one date count as the lowest (61 and 58 → 58); assessment has
    # a deficit only after the day asked about.
    diagnostic(person, D(2024, 10, 1), subject=50, methodical=80, digital=61)
    diagnostic(person, D(2024, 10, 1), "Анкета", digital=58)
    diagnostic(person, D(2025, 2, 1), subject=70, methodical=59, assessment=90)
    diagnostic(person, D(2025, 3, 2), assessment=40)
    assert selectors.deficit_components(person, on=D(2025, 3, 1)) == ["methodical", "digital"]
    assert selectors.deficit_components(person, on=D(2025, 3, 2)) == [
        "methodical",
        "assessment",
        "digital",
    ]
    assert selectors.deficit_components(person, on=D(2024, 9, 30)) == []


@pytest.mark.django_db
def test_a_score_of_exactly_the_threshold_is_no_deficit(settings):
    person = factories.PersonFactory()
    diagnostic(person, D(2024, 10, 1), subject=settings.DEFICIT_SCORE, digital=59)
    assert selectors.deficit_components(person, on=D(2024, 10, 1)) == ["digital"]


@pytest.mark.django_db
def test_outcome_before_and_after_a_finished_route():
    person = factories.PersonFactory()
    route = factories.RouteFactory(
        person=person,
        started_on=D(2024, 10, 15),
        ended_on=D(2025, 4, 30),
        components=",methodical,digital,",
    )
    diagnostic(person, D(2024, 10, 15), methodical=40, digital=50)  # on the start: before
    diagnostic(person, D(2025, 1, 10), methodical=45, digital=52)  # during the route
    diagnostic(person, D(2025, 4, 30), methodical=75)  # on the end: after
    diagnostic(person, D(2025, 9, 1), methodical=30, digital=55)  # later: not the outcome
    outcome = {o.component: o for o in selectors.route_outcome(route)}
    assert list(outcome) == ["methodical", "digital"]
    methodical, digital = outcome["methodical"], outcome["digital"]
    assert (methodical.label, methodical.before, methodical.after) == (
        "Методический",
        (D(2024, 10, 15), 40),
        (D(2025, 4, 30), 75),
    )
    assert methodical.closed is True
    assert (digital.before, digital.after, digital.closed) == (
        (D(2024, 10, 15), 50),
        (D(2025, 9, 1), 55),
        False,
    )


@pytest.mark.django_db
def test_outcome_of_an_open_route_is_the_first_score_after_its_start():
    person = factories.PersonFactory()
    route = factories.RouteFactory(
        person=person, started_on=D(2024, 10, 15), components=",subject,"
    )
    assert [(o.before, o.after, o.closed) for o in selectors.route_outcome(route)] == [
        (None, None, None)
    ]
    diagnostic(person, D(2024, 10, 16), subject=60)
    diagnostic(person, D(2025, 1, 1), subject=10)
    assert [(o.after, o.closed) for o in selectors.route_outcome(route)] == [
        ((D(2024, 10, 16), 60), True)
    ]


@pytest.mark.django_db
def test_a_new_route_is_stored_with_its_history():
    person = factories.PersonFactory()
    user = factories.UserFactory()
    record = services.route_record(
        person=person,
        started_on=D(2025, 9, 15),
        components=["digital", "methodical"],
        curator="Смирнова О. И.",
    )
    [route] = services.records_create(sheet=sheets.ROUTES, records=[record], user=user)
    route.refresh_from_db()
    assert (route.person, route.started_on, route.components, route.curator) == (
        person,
        D(2025, 9, 15),
        ",methodical,digital,",
        "Смирнова О. И.",
    )
    change = ChangeRecord.objects.get(person=person)
    assert (change.user, change.action, change.source, change.record_type) == (
        user,
        ChangeRecord.Action.CREATE,
        ChangeRecord.Source.FORM,
        "индивидуальный образовательный маршрут",
    )
    assert change.record_label == "15.09.2025"
    assert change.changes["components"] == [None, ",methodical,digital,"]


@pytest.mark.django_db
def test_a_second_route_on_the_same_date_is_refused_with_the_persons_name():
    route = factories.RouteFactory(started_on=D(2025, 9, 15))
    other = factories.PersonFactory()
    records = [
        services.route_record(person=p, started_on=D(2025, 9, 15), components=[])
        for p in (other, route.person)
    ]
    with pytest.raises(ValidationError, match=f"уже есть у: {route.person.full_name}\\."):
        services.records_create(sheet=sheets.ROUTES, records=records, user=None)
    assert DevelopmentRoute.objects.count() == 1  # nor the other person's


# --- the workbook: the column «Компоненты» of «ИОМ» -----------------------------------


def route_row(snils, **values) -> dict:
    return {"СНИЛС": snils, "Дата начала": D(2024, 10, 15), "Куратор": "Смирнова О. И.", **values}


def test_routes_with_components_are_imported_and_a_book_without_the_column_keeps_them(district):
    snils = next_snils()
    book = {"ОО": [school()], "Педагоги": [staff(snils)]}
    first = import_workbook(
        xlsx({**book, "ИОМ": [route_row(snils, **{"Компоненты": "цифровой; Методический"})]})
    )
    assert first.ok, first.errors
    route = DevelopmentRoute.objects.get()
    assert route.components == ",methodical,digital,"
    # An older workbook: no column «Компоненты»; the curator changes, the components stay.
    second = import_workbook(xlsx({**book, "ИОМ": [route_row(snils, **{"Куратор": "Орлова"})]}))
    assert second.ok, second.errors
    route.refresh_from_db()
    assert (route.curator, route.components) == ("Орлова", ",methodical,digital,")
    # An empty cell of a present column clears them.
    third = import_workbook(xlsx({**book, "ИОМ": [route_row(snils, **{"Компоненты": None})]}))
    assert third.ok, third.errors
    route.refresh_from_db()
    assert route.components == ""


def test_a_wrong_component_is_a_row_error_and_nothing_is_written(district):
    snils = next_snils()
    analysis = import_workbook(
        xlsx(
            {
                "ОО": [school()],
                "Педагоги": [staff(snils)],
                "ИОМ": [route_row(snils, **{"Компоненты": "цифровой; финансовый"})],
            }
        )
    )
    assert [str(e) for e in analysis.errors] == [
        "Лист «ИОМ», строка 2, столбец «Компоненты»: компонент «финансовый» — нет такого "
        "значения; допустимо: Предметный · Методический · Оценочный · Психолого-педагогический "
        "· Коммуникативный · Цифровой"
    ]
    assert not DevelopmentRoute.objects.exists()
    assert not School.objects.exists()


# --- the workbook: the sheet «Мероприятия ИОМ» ------------------------------------------


def plan_row(snils, **values) -> dict:
    return {
        "СНИЛС": snils,
        "Дата начала ИОМ": D(2024, 10, 15),
        "Вид": "курс",
        "Тематика": "цифровые",
        "Мероприятие": "Цифровая образовательная среда",
        "Дата начала": D(2024, 11, 1),
        **values,
    }


def test_activities_of_a_new_and_of_a_stored_route_are_imported_with_history(district):
    snils = next_snils()
    book = {"ОО": [school()], "Педагоги": [staff(snils)]}
    analysis = import_workbook(
        xlsx(
            {
                **book,
                "ИОМ": [route_row(snils)],
                "Мероприятия ИОМ": [
                    plan_row(snils, **{"Дата окончания": "30.11.2024"}),
                    plan_row(
                        snils,
                        **{
                            "Вид": "Стажировка",
                            "Тематика": None,
                            "Мероприятие": "Стажировка в МБОУ «Лицей № 1»",
                            "Статус": "выполнено",
                        },
                    ),
                ],
            }
        )
    )
    assert analysis.ok, analysis.errors
    assert analysis.counts["Мероприятия ИОМ"].created == 2
    route = DevelopmentRoute.objects.get()
    assert [
        (a.kind, a.topic, a.title, a.starts_on, a.ends_on, a.status)
        for a in route.activities.order_by("kind")
    ] == [
        (
            "course",
            "digital",
            "Цифровая образовательная среда",
            D(2024, 11, 1),
            D(2024, 11, 30),
            "planned",
        ),
        ("internship", "", "Стажировка в МБОУ «Лицей № 1»", D(2024, 11, 1), None, "done"),
    ]
    assert ChangeRecord.objects.filter(
        record_type="мероприятие ИОМ",
        record_label="15.10.2024, курс, Цифровая образовательная среда, 01.11.2024",
        source="workbook",
    ).exists()
    # A second file: only the plan, for the stored route; the status changes.
    second = import_workbook(
        xlsx({"ОО": [school()], "Мероприятия ИОМ": [plan_row(snils, **{"Статус": "отменено"})]})
    )
    assert second.ok, second.errors
    counts = second.counts["Мероприятия ИОМ"]
    assert (counts.created, counts.updated, counts.unchanged) == (0, 1, 0)
    assert route.activities.get(kind="course").status == "cancelled"
    # A book without the sheet leaves the plan as it is.
    third = import_workbook(xlsx({**book, "ИОМ": [route_row(snils)]}))
    assert third.ok and route.activities.count() == 2


def test_the_plan_must_name_a_route_in_the_file_or_the_system(district):
    snils = next_snils()
    stored = factories.RouteFactory(
        person=factories.EmploymentFactory(school=factories.SchoolFactory(code="S-A")).person
    )
    analysis = import_workbook(
        xlsx(
            {
                "ОО": [school()],
                "Педагоги": [staff(snils)],
                "ИОМ": [route_row(stored.person.snils, **{"Удалить": "да"})],
                "Мероприятия ИОМ": [
                    plan_row(snils),
                    plan_row(stored.person.snils),
                    plan_row(snils, **{"Вид": "самообразование", "Дата окончания": "01.10.2024"}),
                ],
            }
        )
    )
    formatted = lambda s: f"{s[:3]}-{s[3:6]}-{s[6:9]} {s[9:]}"  # noqa: E731
    assert [str(e) for e in analysis.errors] == [
        "Лист «Мероприятия ИОМ», строка 2, столбец «Дата начала ИОМ»: ИОМ работника со СНИЛС "
        f"{formatted(snils)} с датой начала 15.10.2024 нет ни на листе «ИОМ», ни в системе",
        "Лист «Мероприятия ИОМ», строка 3, столбец «Дата начала ИОМ»: ИОМ работника со СНИЛС "
        f"{formatted(stored.person.snils)} с датой начала 15.10.2024 нет ни на листе «ИОМ», "
        "ни в системе",
        "Лист «Мероприятия ИОМ», строка 4, столбец «Дата окончания»: «01.10.2024» — раньше "
        "даты начала 01.11.2024",
        "Лист «Мероприятия ИОМ», строка 4, столбец «Тематика»: тематику указывают только у "
        "курса, а не у вида «самообразование»",
    ]
    assert DevelopmentRoute.objects.get() == stored
    assert not RouteActivity.objects.exists()


def test_a_school_administrator_plans_only_the_routes_of_their_people(school_admin, other_school):
    stranger = factories.EmploymentFactory(school=other_school).person
    factories.RouteFactory(person=stranger)
    analysis = import_workbook(
        xlsx({"ОО": [school()], "Мероприятия ИОМ": [plan_row(stranger.snils)]}), user=school_admin
    )
    assert [(e.sheet, e.message) for e in analysis.errors] == [
        ("Мероприятия ИОМ", rules.not_kept_message(stranger.snils))
    ]
    assert not RouteActivity.objects.exists()


def test_the_plan_is_exported_and_imports_back_unchanged(district):
    route = factories.RouteFactory(
        person=factories.EmploymentFactory(school=factories.SchoolFactory(code="S-A")).person,
        components=",digital,",
    )
    RouteActivity.objects.create(
        route=route, kind="course", topic="digital", title="ЦОС", starts_on=D(2024, 11, 1)
    )
    RouteActivity.objects.create(
        route=route, kind="mentoring", title="Наставник", starts_on=D(2024, 11, 1), status="done"
    )
    out = io.BytesIO()
    export_workbook(out)
    sheets = openpyxl.load_workbook(io.BytesIO(out.getvalue()), read_only=True)
    plan = [list(r) for r in sheets["Мероприятия ИОМ"].iter_rows(values_only=True)]
    assert plan[0] == [*ROUTE_ACTIVITIES.headers, "Удалить"]
    assert plan[0][:2] == ["СНИЛС", "ФИО"]
    assert [r[3:6] for r in plan[1:]] == [
        ["курс", "цифровые", "ЦОС"],
        ["наставничество", None, "Наставник"],
    ]
    out.seek(0)
    analysis = import_workbook(out, dry_run=True)
    assert analysis.ok, analysis.errors
    counts = analysis.counts["Мероприятия ИОМ"]
    assert (counts.created, counts.updated, counts.deleted, counts.unchanged) == (0, 0, 0, 2)
    assert analysis.counts["ИОМ"].unchanged == 1
