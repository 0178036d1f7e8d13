"""`compute_indicators --year Y [--as-of YYYY-MM-DD] [--district CODE] [--no-store]
[--format json|table]` (workbook.md, «Command line»)."""

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from monitoring.models import Indicator, Status
from monitoring.results import Result, YearResult
from monitoring.services import compute_year
from monitoring.wording import ABOVE, BELOW, band_mark, lower_is_better
from profdev.facts import PeriodError, academic_year_label
from profdev.models import District

STATUS_MARKS = {
    Status.GREEN: "",
    Status.YELLOW: " (ж)",
    Status.RED: " (к)",
    Status.NO_DATA: "нет данных",
    Status.NOT_APPLICABLE: "н/п",
}
DOWN_MARK = "↓"  # after the code of an indicator where less is better


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


def _cell(result: Result) -> str:
    if result.status in (Status.NO_DATA, Status.NOT_APPLICABLE):
        return STATUS_MARKS[result.status]
    if result.value is None:
        return "—"
    text = str(result.value).replace(".", ",")
    return text + STATUS_MARKS.get(result.status, "")


def _table(result: YearResult) -> str:
    header = ["Показатель", "Муниципалитет", *(s.school.code for s in result.schools)]
    lines = [header]
    for indicator in result.indicators:
        code = f"{indicator.code} {DOWN_MARK}" if lower_is_better(indicator) else indicator.code
        row = [code, _cell(result.district[indicator.code])]
        if not indicator.district_only:
            row += [_cell(s.results[indicator.code]) for s in result.schools]
        lines.append(row)
    widths = [max(len(line[i]) for line in lines if i < len(line)) for i in range(len(header))]
    text = [
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=False)).rstrip()
        for line in lines
    ]
    legend = (
        f"(ж) {band_mark(Status.YELLOW)}, (к) {band_mark(Status.RED)}: {BELOW}, "
        f"у показателей {DOWN_MARK} ({Indicator.Direction.DOWN.label}) — {ABOVE}; "
        "н/п не применимо"
    )
    return "\n".join(
        [
            f"Учебный год {academic_year_label(result.year)}, "
            f"дата среза {result.reference_date:%d.%m.%Y}; {legend}",
            *text,
        ]
    )


class Command(BaseCommand):
    help = "Рассчитывает показатели мониторинга за учебный год и сохраняет их как официальные."

    def add_arguments(self, parser):
        parser.add_argument("--year", required=True, help="учебный год Y (Y/Y+1), например 2024")
        parser.add_argument("--as-of", help="дата среза ГГГГ-ММ-ДД (по умолчанию 31.08.Y+1)")
        parser.add_argument("--district", help="код муниципалитета (если их несколько)")
        parser.add_argument("--no-store", action="store_true", help="только вывести, не сохранять")
        parser.add_argument("--format", choices=["json", "table"], default="json")

    def handle(self, *args, **options):
        year = _year(options["year"])
        as_of = _date(options["as_of"]) if options["as_of"] else None
        district = _district(options["district"])
        try:
            result = compute_year(district, year, as_of, store=not options["no_store"])
        except PeriodError as error:
            raise CommandError(str(error)) from None
        if options["format"] == "json":
            self.stdout.write(json.dumps(result.as_json(), indent=1, ensure_ascii=False))
        else:
            self.stdout.write(_table(result))
