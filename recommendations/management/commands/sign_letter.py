from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from recommendations.management.letters import signed_json, user_and_letter
from recommendations.services import letter_sign


class Command(BaseCommand):
    help = "Подписать письмо от имени начальника отдела образования (или и. о.)."

    def add_arguments(self, parser):
        parser.add_argument("id", type=int)
        parser.add_argument("--user", required=True, help="имя пользователя подписанта")

    def handle(self, *args, **options):
        user, letter = user_and_letter(options["user"], options["id"])
        try:
            letter = letter_sign(letter=letter, user=user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(signed_json(letter))
