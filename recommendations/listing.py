"""The district's letter list: its filters (year, status) and its sorting, read from the query
string; schools in natural order («№ 2» before «№ 10»), the district letter first."""

from collections.abc import Iterable
from dataclasses import dataclass

from django import forms
from django.db.models import Exists, OuterRef, QuerySet
from django.http import QueryDict
from django.utils.text import capfirst

from monitoring.models import MonitoringYear
from profdev.sorting import Direction
from recommendations.models import Letter, LetterEvent

ALL_YEARS = "all"
UNCONFIRMED = "unconfirmed"  # signed school letters nobody of the school has confirmed
INBOX_QUERY = f"year={ALL_YEARS}&status={Letter.State.SENT}"  # the signing inbox
STATUSES = [
    ("", "Все статусы"),
    *((value, capfirst(label)) for value, label in Letter.State.choices),
    (UNCONFIRMED, "Подписано, ОО не ознакомилась"),
]
COLUMNS = (("addressee", "Адресат"), ("status", "Статус"), ("date", "Дата и номер"))
DIRECTION = Direction("desc", descending="on")
STATE_ORDER = {value: n for n, value in enumerate(Letter.State.values)}


SORT_KEYS = {
    "addressee": Letter.natural_order,
    "status": lambda letter: STATE_ORDER[letter.status],
    # Unsigned letters (no date yet) after the signed ones.
    "date": lambda letter: (letter.date is None, letter.date or 0, letter.serial or 0),
}


class LetterFilterForm(forms.Form):
    year = forms.ChoiceField(label="Учебный год", required=False)
    status = forms.ChoiceField(label="Статус", required=False, choices=STATUSES)
    sort = forms.ChoiceField(label="Сортировка", required=False, choices=COLUMNS)
    desc = forms.BooleanField(required=False)

    def __init__(self, data: QueryDict, *, years: list[MonitoringYear]):
        super().__init__(data)
        self.years = {str(y.pk): y for y in years}
        self.fields["year"].choices = [
            *((pk, f"{y.district}: {y.label}") for pk, y in self.years.items()),
            (ALL_YEARS, "Все годы"),
        ]


@dataclass(frozen=True)
class LetterFilter:
    """What the list shows: a year (None: every year), a status ("" any), the sorting."""

    year: MonitoringYear | None
    status: str
    sort: str
    descending: bool

    def apply(self, letters: QuerySet[Letter]) -> QuerySet[Letter]:
        if self.year is not None:
            letters = letters.filter(monitoring_year=self.year)
        if self.status == UNCONFIRMED:
            return unconfirmed(letters)
        return letters.filter(status=self.status) if self.status else letters

    def order(self, letters: Iterable[Letter]) -> list[Letter]:
        """Sorted by the chosen column; equal ones (and the default) in natural order, the
        newest year first."""
        rows = sorted(letters, key=Letter.natural_order)
        rows.sort(key=lambda letter: -letter.monitoring_year.year)
        if self.sort != "addressee" or self.descending:
            rows.sort(key=SORT_KEYS[self.sort], reverse=self.descending)
        return rows


def letter_filter(form: LetterFilterForm) -> LetterFilter:
    """The filter a (validated) form asks for; what it refuses falls back to the default:
    the latest year, any status, natural order."""
    form.is_valid()
    data = form.cleaned_data  # the fields that passed
    chosen = data.get("year") or next(iter(form.years), ALL_YEARS)
    return LetterFilter(
        year=form.years.get(chosen),
        status=data.get("status", ""),
        sort=data.get("sort") or "addressee",
        descending=data.get("desc", False),
    )


def unconfirmed(letters: QuerySet[Letter]) -> QuerySet[Letter]:
    """Signed letters to a school whose receipt nobody has confirmed."""
    confirmed = LetterEvent.objects.filter(letter=OuterRef("pk"), kind=LetterEvent.Kind.CONFIRMED)
    return letters.filter(status=Letter.State.SIGNED, kind=Letter.Kind.SCHOOL).exclude(
        Exists(confirmed)
    )
