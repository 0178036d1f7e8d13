"""`deficit_report --year Y [--as-of YYYY-MM-DD] [--district CODE] --format json`
(deficits.md, «Command»)."""

import json

from django.core.management.base import BaseCommand

from deficits.report import deficit_report
from monitoring.management.arguments import add_year_arguments, year_arguments


class Command(BaseCommand):
    help = (
        "Выводит карту дефицитов, целевые группы и устранение дефицитов по организациям ДПО "
        "за учебный год (JSON)."
    )

    def add_arguments(self, parser):
        add_year_arguments(parser)
        parser.add_argument("--format", choices=["json"], default="json")

    def handle(self, *args, **options):
        arguments = year_arguments(options)
        report = deficit_report(arguments.district, arguments.period)
        self.stdout.write(json.dumps(report, indent=1, ensure_ascii=False))
