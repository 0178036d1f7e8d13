"""Routes (ИОМ) as plans: the deficits a route addresses, the default ones from the person's
diagnostics, the outcome read from the next diagnostic, and the service other pages use."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from profdev import selectors, services
from profdev.models import DIAGNOSTIC_COMPONENTS, ChangeRecord, DevelopmentRoute, School
from profdev.workbook import rules
from profdev.workbook.importer import import_workbook
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
def test_route_create_stores_the_route_and_its_history():
    person = factories.PersonFactory()
    user = factories.UserFactory()
    route = services.route_create(
        person=person,
        started_on=D(2025, 9, 15),
        components=["digital", "methodical"],
        curator="Смирнова О. И.",
        user=user,
    )
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
def test_route_create_refuses_a_second_route_on_the_same_date():
    route = factories.RouteFactory(started_on=D(2025, 9, 15))
    with pytest.raises(ValidationError):
        services.route_create(person=route.person, started_on=D(2025, 9, 15), components=[])
    assert DevelopmentRoute.objects.count() == 1


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
