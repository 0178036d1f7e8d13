"""`compute_indicators --year Y [--as-of YYYY-MM-DD] [--district CODE] [--no-store]
[--format json|table]` (workbook.md, «Command line»)."""

import json

from django.core.management.base import BaseCommand, CommandError

from monitoring.management.arguments import add_year_arguments, year_arguments
from monitoring.models import Indicator, Status
from monitoring.results import Result, YearResult
from monitoring.services import compute_year
from monitoring.wording import ABOVE, BELOW, band_mark, lower_is_better
from profdev.facts import PeriodError, academic_year_label

STATUS_MARKS = {
    Status.GREEN: "",
    Status.YELLOW: " (ж)",
    Status.RED: " (к)",
    Status.NO_DATA: "нет данных",
    Status.NOT_APPLICABLE: "н/п",
}
DOWN_MARK = "↓"  # after the code of an indicator where less is better


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
        add_year_arguments(parser)
        parser.add_argument("--no-store", action="store_true", help="только вывести, не сохранять")
        parser.add_argument("--format", choices=["json", "table"], default="json")

    def handle(self, *args, **options):
        arguments = year_arguments(options)
        try:
            result = compute_year(
                arguments.district,
                arguments.year,
                arguments.as_of,
                store=not options["no_store"],
            )
        except PeriodError as error:
            raise CommandError(str(error)) from None
        if options["format"] == "json":
            self.stdout.write(json.dumps(result.as_json(), indent=1, ensure_ascii=False))
        else:
            self.stdout.write(_table(result))
