import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from profdev.privacy import UnknownPerson, export_person_data, person_by_snils


class Command(BaseCommand):
    help = (
        "Выгрузить все данные работника в JSON (запрос субъекта персональных данных); "
        "выгрузка записывается в журнал обращений."
    )

    def add_arguments(self, parser):
        parser.add_argument("--snils", required=True, help="СНИЛС в любом написании")
        parser.add_argument("--out", help="файл JSON (по умолчанию — стандартный вывод)")

    def handle(self, *args, **options):
        try:
            person = person_by_snils(options["snils"])
        except UnknownPerson as error:
            raise CommandError(str(error)) from None
        text = json.dumps(export_person_data(person), ensure_ascii=False, indent=2)
        if options["out"]:
            Path(options["out"]).write_text(text + "\n", encoding="utf-8")
            self.stdout.write(f"Данные работника записаны: {options['out']}")
        else:
            self.stdout.write(text)
