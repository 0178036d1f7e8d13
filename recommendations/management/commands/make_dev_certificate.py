from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from profdev.models import Organisation
from recommendations.signing import certificate_make_dev


class Command(BaseCommand):
    help = "Создать самоподписанный сертификат подписи для пользователя (разработка и тесты)."

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="имя пользователя")
        parser.add_argument("--name", help="ФИО владельца (по умолчанию из профиля пользователя)")

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"Пользователь «{options['user']}» не найден.")
        organisation = (
            Organisation.objects.filter(Q(district__rolegrant__user=user)).distinct().first()
        )
        profile_name = f"{user.last_name} {user.first_name}".strip()
        owner = options["name"] or profile_name or (organisation.head_name if organisation else "")
        if not owner:
            raise CommandError("Укажите ФИО владельца сертификата: --name «Фамилия Имя Отчество».")
        certificate = certificate_make_dev(
            user=user,
            owner=owner,
            position=organisation.head_position if organisation else "Начальник отдела образования",
        )
        self.stdout.write(
            f"Сертификат {certificate.serial_number} для «{owner}» создан "
            f"(действителен по {certificate.valid_until:%d.%m.%Y})."
        )
