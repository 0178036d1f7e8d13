from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from profdev.models import RoleGrant
from profdev.roles import grant_role


class Command(BaseCommand):
    help = "Назначить пользователю роль (пользователь создаётся, если его нет)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", choices=RoleGrant.Role.values)
        parser.add_argument("--school", help="код ОО (для school_admin)")
        parser.add_argument("--district", help="код муниципалитета (для methodologist, head)")
        parser.add_argument("--password", help="пароль (не короче 10 символов)")

    def handle(self, *args, **options):
        try:
            grant = grant_role(
                username=options["username"],
                role=options["role"],
                school_code=options["school"],
                district_code=options["district"],
                password=options["password"],
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(f"Назначено: {grant}")
