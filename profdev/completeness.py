"""What a school still has to enter for the current academic year, before the monitoring date.

The population is the school's staff on the given day: persons with an active main
(`основное`) employment there, as in the indicators' PED and MGR. A sheet is *stale* when
none of its records for that staff falls in the current academic year; a gap counts the
people (or records) that the year's indicators will miss. Two queries in all: one scalar
subquery per sheet and gap on the school row, and one grouped count over the staff.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, F, Func, OuterRef, Q, QuerySet, Subquery
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
    def open_items(self) -> int:
        return sum(s.status != "ok" for s in self.sheets) + sum(not g.ok for g in self.gaps)


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

    def this_year(sheet: Sheet, *conditions: Q, person: str = "person") -> Exists:
        """The staff member has a record of `sheet` in this academic year."""
        records = sheet.model.objects.filter(
            dated_within(sheet.dated_by, first, last), *conditions, **{person: OuterRef("pk")}
        )
        return Exists(records)

    people = Person.objects.filter(pk__in=staff).aggregate(
        staff=Count("pk"),
        no_diagnostic=Count("pk", filter=~this_year(DIAGNOSTICS)),
        no_burnout=Count("pk", filter=teachers & ~this_year(BURNOUT)),
        no_course=Count("pk", filter=~took_course(W3, period, person="pk")),
        deficit_no_route=Count("pk", filter=this_year(DIAGNOSTICS, deficit()) & ~this_year(ROUTES)),
        young_no_mentor=Count(
            "pk", filter=teachers & young(today) & ~this_year(MENTORSHIP, person="mentee")
        ),
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
            Gap(
                _("Нет диагностики дефицитов в этом учебном году"),
                people["no_diagnostic"],
                people_unit,
            ),
            Gap(
                _("Нет диагностики выгорания в этом учебном году"),
                people["no_burnout"],
                people_unit,
            ),
            Gap(
                _("Нет курсов ПК или ПП за последние три года"),
                people["no_course"],
                people_unit,
                "status=active&workplace=main&no_courses=on",
            ),
            Gap(_("Выявлены дефициты, но нет ИОМ"), people["deficit_no_route"], people_unit),
            Gap(_("Молодые педагоги без наставника"), people["young_no_mentor"], people_unit),
            Gap(_("ИОМ без куратора и тьютора"), row["unattended_routes"] or 0, _("ИОМ")),
            Gap(
                _("Вакансии открыты с прошлых лет: проверьте, актуальны ли они"),
                row["old_vacancies"] or 0,
                _("вакансий"),
            ),
        ],
    )
