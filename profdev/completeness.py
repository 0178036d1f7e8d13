"""What a school still has to enter for the current academic year, before the monitoring date.

The population is the school's staff on the given day: persons with an active main
(`основное`) employment there, as in the indicators' PED and MGR. A sheet is *stale* when
none of its records for that staff falls in the current academic year; a gap counts the
people (or records) that the year's indicators will miss. Two queries in all: one scalar
subquery per sheet and gap on the school row, and one grouped count over the staff.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Exists, F, Func, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from profdev.facts import (
    W3,
    Period,
    dated_within,
    deficit,
    employed_at,
    took_course,
    vacancy_open_at,
    young,
)
from profdev.models import (
    DevelopmentRoute,
    Employment,
    MentorshipPair,
    Person,
    School,
    Vacancy,
)
from profdev.workbook import sheets as workbook_sheets
from profdev.workbook.sheets import BURNOUT, DIAGNOSTICS, MENTORSHIP, ROUTES, Sheet

# The sheets whose records are dated, in the workbook's order.
SHEETS = tuple(sheet for sheet in workbook_sheets.SHEETS if sheet.dated_by)


@dataclass(frozen=True)
class SheetState:
    name: str
    this_year: int
    last_date: dt.date | None

    @property
    def status(self) -> str:
        if self.last_date is None:
            return "empty"
        return "ok" if self.this_year else "stale"


@dataclass(frozen=True)
class Gap:
    label: str
    count: int
    unit: str
    staff_filter: str = ""  # query string of the staff list showing these people
    link: str = ""  # else the page where they are put right

    @property
    def ok(self) -> bool:
        return self.count == 0


@dataclass(frozen=True)
class Completeness:
    year_start: dt.date
    year_end: dt.date
    staff: int
    sheets: list[SheetState]
    gaps: list[Gap]

    @property
    def stale_sheets(self) -> int:
        return sum(s.status != "ok" for s in self.sheets)

    @property
    def open_gaps(self) -> int:
        return sum(not g.ok for g in self.gaps)

    @property
    def open_items(self) -> int:
        return self.stale_sheets + self.open_gaps


def _this_year(sheet: Sheet, period: Period, *conditions: Q, person: str = "person") -> Exists:
    """The person (`OuterRef("pk")`) has a record of `sheet` in the academic year."""
    records = sheet.model.objects.filter(
        dated_within(sheet.dated_by, period.start, period.end),
        *conditions,
        **{person: OuterRef("pk")},
    )
    return Exists(records)


@dataclass(frozen=True)
class PersonGap:
    """Staff the year's indicators will miss, by a condition on the person: counted in the
    workspace, listed by the staff list's filter «Пробел в данных» (`staff_filter`)."""

    key: str
    label: str
    condition: Callable[[Period, dt.date], Q]
    teachers_only: bool = False  # measured on teachers (PED) only

    @property
    def staff_filter(self) -> str:
        teachers = "&category=pedagogical" if self.teachers_only else ""
        return f"status=active&workplace=main{teachers}&gap={self.key}"


PERSON_GAPS = (
    PersonGap(
        "no_diagnostic",
        _("Нет диагностики дефицитов в этом учебном году"),
        lambda period, today: ~_this_year(DIAGNOSTICS, period),
    ),
    PersonGap(
        "no_burnout",
        _("Нет диагностики выгорания в этом учебном году"),
        lambda period, today: ~_this_year(BURNOUT, period),
        teachers_only=True,
    ),
    PersonGap(
        "deficit_no_route",
        _("Выявлены дефициты, но нет ИОМ"),
        lambda period, today: (
            _this_year(DIAGNOSTICS, period, deficit()) & ~_this_year(ROUTES, period)
        ),
    ),
    PersonGap(
        "young_no_mentor",
        _("Молодые педагоги без наставника"),
        lambda period, today: young(today) & ~_this_year(MENTORSHIP, period, person="mentee"),
        teachers_only=True,
    ),
)
PERSON_GAPS_BY_KEY = {gap.key: gap for gap in PERSON_GAPS}


def _scalar(queryset: QuerySet, function: str, field: str = "pk") -> Subquery:
    # An aggregate over the whole filtered set, as a subquery without GROUP BY.
    return Subquery(queryset.order_by().annotate(v=Func(F(field), function=function)).values("v"))


def _owned(model, school: School, staff: QuerySet) -> QuerySet:
    if model is Vacancy:
        return Vacancy.objects.filter(school=school)
    if model is MentorshipPair:
        return MentorshipPair.objects.filter(Q(mentor__in=staff) | Q(mentee__in=staff))
    return model.objects.filter(person__in=staff)


def school_completeness(school: School, *, today: dt.date) -> Completeness:
    period = Period.at(today)
    first, last = period.start, period.end
    staff = Employment.objects.filter(
        employed_at(today), school=school, workplace=Employment.Workplace.MAIN
    ).values("person")
    # Burnout surveys and mentors of the young are measured on teachers (PED) only.
    teachers = Q(pk__in=staff.filter(category=Employment.Category.PEDAGOGICAL))

    sheet_values = {}
    for i, sheet in enumerate(SHEETS):
        owned = _owned(sheet.model, school, staff)
        sheet_values[f"n{i}"] = _scalar(
            owned.filter(dated_within(sheet.dated_by, first, last)), "COUNT"
        )
        sheet_values[f"d{i}"] = _scalar(owned, "MAX", sheet.dated_by[0])
    unattended_routes = _owned(DevelopmentRoute, school, staff).filter(
        dated_within(ROUTES.dated_by, first, last), curator="", tutor=""
    )
    old_vacancies = Vacancy.objects.filter(
        vacancy_open_at(today), school=school, opened_on__lt=first
    )
    row = (
        School.objects.filter(pk=school.pk)
        .values()
        .annotate(
            **sheet_values,
            unattended_routes=_scalar(unattended_routes, "COUNT"),
            old_vacancies=_scalar(old_vacancies, "COUNT"),
        )
        .get()
    )

    people = Person.objects.filter(pk__in=staff).aggregate(
        staff=Count("pk"),
        no_course=Count("pk", filter=~took_course(W3, period, person="pk")),
        **{
            gap.key: Count(
                "pk", filter=(teachers if gap.teachers_only else Q()) & gap.condition(period, today)
            )
            for gap in PERSON_GAPS
        },
    )

    people_unit = _("чел.")
    return Completeness(
        year_start=first,
        year_end=last,
        staff=people["staff"],
        sheets=[
            SheetState(sheet.name, row[f"n{i}"] or 0, row[f"d{i}"])
            for i, sheet in enumerate(SHEETS)
        ],
        gaps=[
            *(
                Gap(gap.label, people[gap.key], people_unit, gap.staff_filter)
                for gap in PERSON_GAPS[:2]
            ),
            Gap(
                _("Нет курсов ПК или ПП за последние три года"),
                people["no_course"],
                people_unit,
                "status=active&workplace=main&no_courses=on",
            ),
            *(
                Gap(gap.label, people[gap.key], people_unit, gap.staff_filter)
                for gap in PERSON_GAPS[2:]
            ),
            Gap(
                _("ИОМ без куратора и тьютора"),
                row["unattended_routes"] or 0,
                _("ИОМ"),
                link=reverse("route_list", args=[school.code]),
            ),
            Gap(
                _("Вакансии открыты с прошлых лет: проверьте, актуальны ли они"),
                row["old_vacancies"] or 0,
                _("вакансий"),
                link=reverse("school_upload", args=[school.code]),
            ),
        ],
    )
