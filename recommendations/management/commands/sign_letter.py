import json

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from recommendations.models import Letter
from recommendations.services import letter_sign


class Command(BaseCommand):
    help = "Подписать письмо от имени начальника отдела образования (или и. о.)."

    def add_arguments(self, parser):
        parser.add_argument("id", type=int)
        parser.add_argument("--user", required=True, help="имя пользователя подписанта")

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"Пользователь «{options['user']}» не найден.")
        letter = Letter.objects.filter(pk=options["id"]).first()
        if letter is None:
            raise CommandError(f"Письмо {options['id']} не найдено.")
        try:
            letter = letter_sign(letter=letter, user=user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        result = {
            "id": letter.pk,
            "number": letter.number,
            "date": letter.date.isoformat(),
            "sha256": letter.sha256,
        }
        self.stdout.write(json.dumps(result, ensure_ascii=False))
