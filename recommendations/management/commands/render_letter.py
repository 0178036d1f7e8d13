from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from recommendations.models import Letter
from recommendations.services import TamperedLetter, letter_pdf


class Command(BaseCommand):
    help = "Записать PDF письма: подписанный файл или проект с отметкой «ПРОЕКТ»."

    def add_arguments(self, parser):
        parser.add_argument("id", type=int)
        parser.add_argument("--out", required=True, help="файл PDF")

    def handle(self, *args, **options):
        letter = (
            Letter.objects.select_related("monitoring_year__district__organisation", "school")
            .filter(pk=options["id"])
            .first()
        )
        if letter is None:
            raise CommandError(f"Письмо {options['id']} не найдено.")
        try:
            data = letter_pdf(letter)
        except TamperedLetter as exc:
            raise CommandError(str(exc)) from None
        Path(options["out"]).write_bytes(data)
        self.stdout.write(f"Записано: {options['out']} ({len(data)} байт)")
