"""What a school still has to enter for the current academic year, before the monitoring date.

The population is the school's staff on the given day: persons with an active main
(`основное`) employment there, as in the indicators' PED and MGR. A sheet is *stale* when
none of its records for that staff falls in the current academic year; a gap counts the
people (or records) that the year's indicators will miss. Two queries in all: one scalar
subquery per sheet and gap on the school row, and one grouped count over the staff.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Exists, F, Func, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from profdev.models import (
    BurnoutRecord,
    CourseCompletion,
    DeficitDiagnostic,
    DevelopmentRoute,
    Employment,
    MentorshipPair,
    Person,
    School,
    Vacancy,
)
from profdev.selectors import (
    academic_year_end,
    academic_year_start,
    active_q,
    three_year_window_start,
    young_q,
)
from profdev.workbook import sheets as workbook_sheets
from profdev.workbook.sheets import ROUTES, Sheet

# The sheets whose records are dated, in the workbook's order.
SHEETS = tuple(sheet for sheet in workbook_sheets.SHEETS if sheet.dated_by)


def _in_year(sheet: Sheet, first: dt.date, last: dt.date) -> Q:
    """A record dated in [first, last], or a span (ИОМ, наставничество) overlapping it."""
    if len(sheet.dated_by) == 1:
        (day,) = sheet.dated_by
        return Q(**{f"{day}__gte": first, f"{day}__lte": last})
    start, end = sheet.dated_by
    return Q(**{f"{start}__lte": last}) & (
        Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": first})
    )


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


def _deficit_q() -> Q:
    limit = settings.DEFICIT_SCORE
    q = Q()
    for component in DeficitDiagnostic.COMPONENTS:
        q |= Q(**{f"{component}__lt": limit})
    return q


def school_completeness(school: School, *, today: dt.date) -> Completeness:
    first, last = academic_year_start(today), academic_year_end(today)
    staff = Employment.objects.filter(
        active_q(today), school=school, workplace=Employment.Workplace.MAIN
    ).values("person")
    # Burnout surveys and mentors of the young are measured on teachers (PED) only.
    teachers = Q(pk__in=staff.filter(category=Employment.Category.PEDAGOGICAL))

    sheet_values = {}
    for i, sheet in enumerate(SHEETS):
        owned = _owned(sheet.model, school, staff)
        sheet_values[f"n{i}"] = _scalar(owned.filter(_in_year(sheet, first, last)), "COUNT")
        sheet_values[f"d{i}"] = _scalar(owned, "MAX", sheet.dated_by[0])
    unattended_routes = _owned(DevelopmentRoute, school, staff).filter(
        _in_year(ROUTES, first, last), curator="", tutor=""
    )
    old_vacancies = Vacancy.objects.filter(school=school, opened_on__lt=first).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=today)
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

    def dated(model, field="date") -> Exists:
        return Exists(
            model.objects.filter(
                person=OuterRef("pk"), **{f"{field}__gte": first, f"{field}__lte": last}
            )
        )

    active_route = Exists(
        DevelopmentRoute.objects.filter(_in_year(ROUTES, first, last), person=OuterRef("pk"))
    )
    mentored = Exists(
        MentorshipPair.objects.filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=first),
            mentee=OuterRef("pk"),
            started_on__lte=last,
        )
    )
    deficit = Exists(
        DeficitDiagnostic.objects.filter(
            _deficit_q(), person=OuterRef("pk"), date__gte=first, date__lte=last
        )
    )
    recent_course = Exists(
        CourseCompletion.objects.filter(
            person=OuterRef("pk"),
            finished_on__gte=three_year_window_start(today),
            finished_on__lte=today,
        )
    )
    people = Person.objects.filter(pk__in=staff).aggregate(
        staff=Count("pk"),
        no_diagnostic=Count("pk", filter=~dated(DeficitDiagnostic)),
        no_burnout=Count("pk", filter=teachers & ~dated(BurnoutRecord)),
        no_course=Count("pk", filter=~recent_course),
        deficit_no_route=Count("pk", filter=deficit & ~active_route),
        young_no_mentor=Count("pk", filter=teachers & young_q(today) & ~mentored),
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
