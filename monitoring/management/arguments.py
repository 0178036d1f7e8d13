"""The arguments the commands of a monitoring year share: `--year Y [--as-of YYYY-MM-DD]
[--district CODE]` (workbook.md, «Command line»), checked with Russian messages."""

import datetime as dt
from dataclasses import dataclass

from django.core.management.base import CommandError

from profdev.facts import Period, PeriodError
from profdev.models import District


def add_year_arguments(parser) -> None:
    parser.add_argument("--year", required=True, help="учебный год Y (Y/Y+1), например 2024")
    parser.add_argument("--as-of", help="дата среза ГГГГ-ММ-ДД (по умолчанию 31.08.Y+1)")
    parser.add_argument("--district", help="код муниципалитета (если их несколько)")


@dataclass(frozen=True)
class YearArguments:
    year: int
    as_of: dt.date | None
    district: District

    @property
    def period(self) -> Period:
        try:
            return Period.of(self.year, self.as_of)
        except PeriodError as error:
            raise CommandError(str(error)) from None


def year_arguments(options: dict) -> YearArguments:
    year = _year(options["year"])
    as_of = _date(options["as_of"]) if options["as_of"] else None
    return YearArguments(year, as_of, _district(options["district"]))


def _year(text: str) -> int:
    try:
        year = int(text)
    except ValueError:
        raise CommandError(f"Год «{text}» — не целое число (например, 2024).") from None
    if not 1900 <= year <= 9998:
        raise CommandError(f"Год {year} вне допустимого диапазона.")
    return year


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"Дата среза «{text}» не распознана: нужна дата в формате ГГГГ-ММ-ДД."
        ) from None


def _district(code: str | None) -> District:
    if code:
        district = District.objects.filter(code=code).first()
        if district is None:
            raise CommandError(f"Муниципалитет с кодом «{code}» не найден.")
        return district
    districts = list(District.objects.all()[:2])
    if not districts:
        raise CommandError("В базе нет ни одного муниципалитета.")
    if len(districts) > 1:
        raise CommandError("Муниципалитетов несколько: укажите код в --district.")
    return districts[0]
