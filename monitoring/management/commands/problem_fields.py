"""`problem_fields --year Y [--as-of YYYY-MM-DD] [--district CODE] --format json`
(results.md, «Command»)."""

import json

from django.core.management.base import BaseCommand

from monitoring.management.arguments import add_year_arguments, year_arguments
from monitoring.problem_report import report


class Command(BaseCommand):
    help = (
        "Выводит доли не справившихся по предметам в ОО и муниципалитете, проблемные поля "
        "и их показатели за учебный год (JSON)."
    )

    def add_arguments(self, parser):
        add_year_arguments(parser)
        parser.add_argument("--format", choices=["json"], default="json")

    def handle(self, *args, **options):
        arguments = year_arguments(options)
        self.stdout.write(
            json.dumps(report(arguments.district, arguments.period), indent=1, ensure_ascii=False)
        )
