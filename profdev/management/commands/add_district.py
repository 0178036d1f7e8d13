from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from profdev.models import District
from profdev.text import CODE_RULE, code_is_valid


class Command(BaseCommand):
    help = (
        "Завести муниципалитет (первый шаг на пустой базе) или, если код уже есть, "
        "изменить его наименование."
    )

    def add_arguments(self, parser):
        parser.add_argument("code", help=f"код муниципалитета: {CODE_RULE}")
        parser.add_argument("name", help="наименование, например «Заречный муниципальный район»")

    @transaction.atomic
    def handle(self, *args, **options):
        code, name = options["code"].strip(), " ".join(options["name"].split())
        code_limit = District._meta.get_field("code").max_length
        if not code_is_valid(code) or len(code) > code_limit:
            raise CommandError(f"Код «{code}» не подходит: {CODE_RULE}, до {code_limit} знаков.")
        name_limit = District._meta.get_field("name").max_length
        if not name or len(name) > name_limit:
            raise CommandError(f"Укажите наименование муниципалитета (до {name_limit} знаков).")
        district, created = District.objects.update_or_create(code=code, defaults={"name": name})
        done = "заведён" if created else "уже был, наименование обновлено"
        self.stdout.write(f"Муниципалитет {district.code} «{district.name}» {done}.")
