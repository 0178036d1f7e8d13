from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from profdev.models import Organisation
from recommendations.kep.services import certificate_register


class Command(BaseCommand):
    help = (
        "Зарегистрировать квалифицированный сертификат (КЭП, ГОСТ Р 34.10-2012) начальника: "
        "файл .cer в DER или PEM; проверяется срок действия и цепочка до доверенного УЦ."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="файл сертификата (.cer)")
        parser.add_argument("--user", required=True, help="имя пользователя начальника")
        parser.add_argument(
            "--position", help="должность в подписи письма (по умолчанию из реквизитов)"
        )

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"Пользователь «{options['user']}» не найден.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Файл «{path}» не найден.")
        organisation = Organisation.objects.filter(district__rolegrant__user=user).first()
        position = options["position"] or (organisation.head_position if organisation else "")
        try:
            certificate = certificate_register(
                user=user, data=path.read_bytes(), signer_position=position
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(
            f"Сертификат № {certificate.serial_number} зарегистрирован: {certificate.owner}"
            f"{', ' + certificate.organisation if certificate.organisation else ''}; "
            f"УЦ «{certificate.issuer}»; действителен с {certificate.valid_from:%d.%m.%Y} "
            f"по {certificate.valid_until:%d.%m.%Y}."
        )
