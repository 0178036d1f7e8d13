from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from recommendations.kep.services import letter_attach_signature
from recommendations.management.letters import signed_json, user_and_letter


class Command(BaseCommand):
    help = (
        "Подписать письмо открепленной подписью КЭП (.sig, CAdES-BES, DER или Base64) его "
        "подготовленного PDF; подпись проверяется полностью."
    )

    def add_arguments(self, parser):
        parser.add_argument("id", type=int)
        parser.add_argument("signature", help="файл подписи (.sig)")
        parser.add_argument("--user", required=True, help="имя пользователя начальника")

    def handle(self, *args, **options):
        user, letter = user_and_letter(options["user"], options["id"])
        path = Path(options["signature"])
        if not path.is_file():
            raise CommandError(f"Файл «{path}» не найден.")
        try:
            letter = letter_attach_signature(letter=letter, user=user, signature=path.read_bytes())
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(signed_json(letter))
