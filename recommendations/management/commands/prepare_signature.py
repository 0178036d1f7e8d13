from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from recommendations.kep.services import letter_prepare_signature
from recommendations.management.letters import user_and_letter


class Command(BaseCommand):
    help = (
        "Подготовить итоговый PDF письма к подписи КЭП: резервирует номер и дату и записывает "
        "ровно те байты, которые нужно подписать открепленной подписью."
    )

    def add_arguments(self, parser):
        parser.add_argument("id", type=int)
        parser.add_argument("--user", required=True, help="имя пользователя начальника")
        parser.add_argument("--out", required=True, help="файл PDF")

    def handle(self, *args, **options):
        user, letter = user_and_letter(options["user"], options["id"])
        try:
            preparation = letter_prepare_signature(letter=letter, user=user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        data = bytes(preparation.pdf)
        Path(options["out"]).write_bytes(data)
        letter.refresh_from_db()
        self.stdout.write(
            f"Записано: {options['out']} ({len(data)} байт); номер {letter.number} от "
            f"{letter.date:%d.%m.%Y} зарезервирован до подписания."
        )
