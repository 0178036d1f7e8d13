from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from recommendations.models import Letter
from recommendations.services import TamperedLetter, letter_pdf


class Command(BaseCommand):
    help = "Записать PDF письма: подписанный файл или проект с отметкой «ПРОЕКТ»."

    def add_arguments(self, parser):
        parser.add_argument("id", type=int)
        parser.add_argument("--out", required=True, help="файл PDF")
        parser.add_argument("--sig", help="файл открепленной подписи КЭП (.sig) письма")

    def handle(self, *args, **options):
        letter = (
            Letter.objects.select_related("monitoring_year__district__organisation", "school")
            .filter(pk=options["id"])
            .first()
        )
        if letter is None:
            raise CommandError(f"Письмо {options['id']} не найдено.")
        if options["sig"] and letter.signature is None:
            raise CommandError(
                f"У письма {letter.pk} нет открепленной подписи КЭП: "
                + (
                    "его подпись (УНЭП) встроена в PDF."
                    if letter.is_signed
                    else "оно не подписано."
                )
            )
        try:
            data = letter_pdf(letter)
        except TamperedLetter as exc:
            raise CommandError(str(exc)) from None
        Path(options["out"]).write_bytes(data)
        self.stdout.write(f"Записано: {options['out']} ({len(data)} байт)")
        if options["sig"]:
            signature = bytes(letter.signature)
            Path(options["sig"]).write_bytes(signature)
            self.stdout.write(f"Записано: {options['sig']} ({len(signature)} байт)")
