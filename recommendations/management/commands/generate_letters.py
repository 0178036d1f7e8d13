import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from monitoring.models import MonitoringYear
from profdev.facts import academic_year_label
from recommendations.drafting import letters_draft


def monitoring_year(year: int, district_code: str | None) -> MonitoringYear:
    years = MonitoringYear.objects.filter(year=year).select_related("district")
    if district_code:
        years = years.filter(district__code=district_code)
    found = list(years[:2])
    if not found:
        where = f" муниципалитета «{district_code}»" if district_code else ""
        raise CommandError(
            f"Мониторинг{where} за {academic_year_label(year)} учебный год не найден."
        )
    if len(found) > 1:
        raise CommandError(
            f"Мониторинг за {academic_year_label(year)} есть у нескольких муниципалитетов: "
            "укажите --district КОД."
        )
    return found[0]


class Command(BaseCommand):
    help = "Составить адресные письма за учебный год по рассчитанным официальным значениям."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="учебный год Y (Y/Y+1)")
        parser.add_argument("--district", help="код муниципалитета")

    def handle(self, *args, **options):
        year = monitoring_year(options["year"], options["district"])
        try:
            report = letters_draft(year=year)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        for letter in report.kept_edited:
            self.stderr.write(
                f"Черновик {letter.pk} ({letter.addressee_short}) изменён методистом и сохранён."
            )
        rows = [
            {"id": x.pk, "school": x.school.code if x.school else None, "status": x.status}
            for x in report.letters
        ]
        self.stdout.write(json.dumps(rows, ensure_ascii=False))
