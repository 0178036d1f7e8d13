import re

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from profdev.models import District

CODE = re.compile(r"[A-Za-z0-9-]{1,20}")


class Command(BaseCommand):
    help = (
        "Завести муниципалитет (первый шаг на пустой базе) или, если код уже есть, "
        "изменить его наименование."
    )

    def add_arguments(self, parser):
        parser.add_argument("code", help="код: латинские буквы, цифры, дефис (до 20 знаков)")
        parser.add_argument("name", help="наименование, например «Заречный муниципальный район»")

    @transaction.atomic
    def handle(self, *args, **options):
        code, name = options["code"].strip(), " ".join(options["name"].split())
        if not CODE.fullmatch(code):
            raise CommandError(
                f"Код «{code}» не подходит: только латинские буквы, цифры и дефис, до 20 знаков."
            )
        if not name:
            raise CommandError("Укажите наименование муниципалитета.")
        limit = District._meta.get_field("name").max_length
        if len(name) > limit:
            raise CommandError(f"Наименование длиннее {limit} знаков.")
        district, created = District.objects.update_or_create(code=code, defaults={"name": name})
        done = "заведён" if created else "уже был, наименование обновлено"
        self.stdout.write(f"Муниципалитет {district.code} «{district.name}» {done}.")
