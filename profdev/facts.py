"""The facts of the records as `indicators.md` defines them («Время», «Кого считаем»): one
definition of each, used by the indicators, the school's completeness, the staff list and the
demo generator.

Rules about rows are `Q` builders; `prefix` is the path from the queried model to the record
the rule reads (`"person__"` from an employment to its person). Ages and terms are compared
with cutoff dates computed here, in Python, which keeps them exact (29 February included) and
portable across databases.
"""

import datetime as dt
from dataclasses import dataclass
from enum import Enum

from django.conf import settings
from django.db.models import Exists, OuterRef, Q

from profdev.models import Attestation, CourseCompletion, DeficitDiagnostic, Person

YOUNG_AGE = 35
YOUNG_EXPERIENCE = 3
# Categories granted under Приказ Минпросвещения № 196 from this day on have no end date.
PERPETUAL_CATEGORIES_FROM = dt.date(2023, 9, 1)
CATEGORY_TERM_YEARS = 5

# --- Dates ----------------------------------------------------------------------------------


def years_before(day: dt.date, years: int) -> dt.date:
    """The latest birth date with at least `years` full years at `day` (29 Feb → 28 Feb).

    «Полных лет между датами a и b: разность годов, уменьшенная на 1, если в году b день и
    месяц a ещё не наступили.» Born on 29 February, one has a birthday on 1 March in a common
    year, so at 28 February the year is not yet full: the cutoff is 28 February.
    """
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return dt.date(day.year - years, 2, 28)


def years_after(day: dt.date, years: int) -> dt.date:
    """«Через пять лет после даты — то же число и месяц пятью годами позже; 29 февраля даёт
    28 февраля» (for any number of years)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return dt.date(day.year + years, 2, 28)


def earliest_date_running_at(day: dt.date, years: int) -> dt.date:
    """The earliest start of a `years`-long term (through its anniversary) still running at `day`.

    Terms starting on 29 February end on 28 February (`years_after`), so for `day` =
    29 February the term that started `years` earlier on 28 February has already ended.
    """
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return dt.date(day.year - years, 3, 1)


def academic_year(day: dt.date) -> int:
    """The academic year that contains `day`, by its first calendar year (2024 for 2024/2025):
    it starts on 1 September."""
    return day.year if day.month >= 9 else day.year - 1


def academic_year_label(year: int) -> str:
    """«2024/2025» for the monitoring year 2024."""
    return f"{year}/{year + 1}"


class PeriodError(ValueError):
    """A reference date that cannot start a monitoring year's computation."""


@dataclass(frozen=True)
class Period:
    """Monitoring year `Y` (the academic year Y/Y+1) and its reference date `R`.

    «Дата среза R — 31 августа года Y+1, если не указана другая (дата среза должна лежать
    внутри учебного года). Период P = с 1 сентября года Y по R.»
    """

    year: int
    reference_date: dt.date

    @classmethod
    def of(cls, year: int, as_of: dt.date | None = None) -> "Period":
        period = cls(year, as_of or dt.date(year + 1, 8, 31))
        if not period.start <= period.reference_date <= period.end:
            raise PeriodError(
                f"Дата среза {period.reference_date:%d.%m.%Y} вне учебного года "
                f"{period.label}: нужна дата с {period.start:%d.%m.%Y} "
                f"по {period.end:%d.%m.%Y}."
            )
        return period

    @classmethod
    def at(cls, day: dt.date) -> "Period":
        """The academic year that contains `day`, up to `day`."""
        return cls(academic_year(day), day)

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 9, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(self.year + 1, 8, 31)

    @property
    def three_years_start(self) -> dt.date:
        return dt.date(self.year - 2, 9, 1)

    @property
    def label(self) -> str:
        return academic_year_label(self.year)


class Window(Enum):
    """The windows of indicators.md, both ends included: P is [1 September of Y, R]; W3 is
    [1 September of Y−2, R], three academic years («ДПО не реже одного раза в три года»,
    273-ФЗ, ст. 47); EVER («когда-либо») is any date up to R."""

    PERIOD = "P"
    THREE_YEARS = "W3"
    EVER = "ever"

    def contains(self, field: str, period: Period) -> Q:
        r = period.reference_date
        if self is Window.EVER:
            return Q(**{f"{field}__lte": r})
        start = period.start if self is Window.PERIOD else period.three_years_start
        return between(field, start, r)


P, W3, EVER = Window.PERIOD, Window.THREE_YEARS, Window.EVER


def between(field: str, first: dt.date, last: dt.date) -> Q:
    """`field` falls in [first, last], both days included."""
    return Q(**{f"{field}__range": (first, last)})


def overlapping(
    first: dt.date, last: dt.date, start: str = "started_on", end: str = "ended_on"
) -> Q:
    """A span lasting at some day of [first, last]: started by `last` and not ended before
    `first`; an empty end runs on."""
    return Q(**{f"{start}__lte": last}) & (
        Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": first})
    )


def dated_within(dated_by: tuple[str, ...], first: dt.date, last: dt.date) -> Q:
    """A record dated in [first, last]: by its one date field, or a (start, end) span
    overlapping it (a workbook sheet's `dated_by`)."""
    if len(dated_by) == 1:
        return between(dated_by[0], first, last)
    return overlapping(first, last, *dated_by)


# --- Rows -----------------------------------------------------------------------------------


def employed_at(day: dt.date | OuterRef, prefix: str = "") -> Q:
    """«Место работы действует на дату R, если Дата приема ≤ R и Дата увольнения пуста или
    ≥ R» (dismissal on `day` still counts). `day`: a date, or a reference to another row's."""
    return Q(**{f"{prefix}hired_on__lte": day}) & (
        Q(**{f"{prefix}dismissed_on__isnull": True}) | Q(**{f"{prefix}dismissed_on__gte": day})
    )


def vacancy_open_at(day: dt.date) -> Q:
    """«Вакансия открыта на R, если Дата открытия ≤ R и Дата закрытия пуста или позже R.»"""
    return Q(opened_on__lte=day) & (Q(closed_on__isnull=True) | Q(closed_on__gt=day))


def running_in_period(period: Period) -> Q:
    """«ИОМ или наставничество действуют в периоде P, если начались не позже R и дата окончания
    пуста или не раньше 1 сентября года Y.»"""
    return overlapping(period.start, period.reference_date)


def young(day: dt.date, prefix: str = "") -> Q:
    """«Молодой педагог: на R ему меньше 35 полных лет и с даты „Педагогический стаж с“ прошло
    меньше 3 полных лет» (a person; the anniversaries fall after `day`)."""
    return Q(
        **{
            f"{prefix}birth_date__gt": years_before(day, YOUNG_AGE),
            f"{prefix}experience_since__gt": years_before(day, YOUNG_EXPERIENCE),
        }
    )


def pension_age(day: dt.date, prefix: str = "") -> Q:
    """«Пенсионный возраст: на R полных лет не меньше 60 у женщин и не меньше 65 у мужчин»
    (settings PENSION_AGE_FEMALE, PENSION_AGE_MALE; a person)."""
    female = Q(
        **{
            f"{prefix}sex": Person.Sex.FEMALE,
            f"{prefix}birth_date__lte": years_before(day, settings.PENSION_AGE_FEMALE),
        }
    )
    male = Q(
        **{
            f"{prefix}sex": Person.Sex.MALE,
            f"{prefix}birth_date__lte": years_before(day, settings.PENSION_AGE_MALE),
        }
    )
    return female | male


def is_deficit(score: int | None) -> bool:
    """«Диагностика выявила дефицит, если хотя бы одна из её составляющих оценена ниже 60
    баллов» (settings DEFICIT_SCORE): this component's score is such."""
    return score is not None and score < settings.DEFICIT_SCORE


def deficit(prefix: str = "") -> Q:
    """A diagnostic that found a deficit: some component scored below DEFICIT_SCORE."""
    q = Q()
    for component in DeficitDiagnostic.COMPONENTS:
        q |= Q(**{f"{prefix}{component}__lt": settings.DEFICIT_SCORE})
    return q


def valid_category(day: dt.date, prefix: str = "") -> Q:
    """«Квалификационная категория действует на R, если Результат — первая, высшая,
    педагог-методист или педагог-наставник, её Дата ≤ R и либо Дата не раньше 01.09.2023
    (бессрочные), либо R не позже даты „через пять лет“ после Дата» (an attestation)."""
    return Q(**{f"{prefix}result__in": Attestation.CATEGORIES, f"{prefix}date__lte": day}) & (
        Q(**{f"{prefix}date__gte": PERPETUAL_CATEGORIES_FROM})
        | Q(**{f"{prefix}date__gte": earliest_date_running_at(day, CATEGORY_TERM_YEARS)})
    )


def took_course(window: Window, period: Period, person: str = "person") -> Exists:
    """The person (`OuterRef(person)`) finished a programme (ПК or ПП) in `window`."""
    return Exists(
        CourseCompletion.objects.filter(
            window.contains("finished_on", period), person=OuterRef(person)
        )
    )
