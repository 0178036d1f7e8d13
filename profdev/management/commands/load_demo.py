from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from profdev.demo.loading import DEMO_PASSWORD, DemoError, load_demo, logins_table

PRODUCTION_REFUSAL = (
    "Демонстрационные данные загружаются только в режиме разработки (DJANGO_DEBUG=1): "
    "в рабочем режиме команда создала бы пользователей, в том числе администратора, "
    "с паролем, напечатанным в README. Ничего не изменено."
)


class Command(BaseCommand):
    help = (
        "Загрузить демонстрационный муниципалитет: реквизиты, 12 ОО, педагогов, пользователей "
        "и мониторинг. Повторный запуск ничего не меняет. Только в режиме разработки."
    )

    def handle(self, *args, **options):
        if not (settings.DEBUG or settings.TESTING):
            raise CommandError(PRODUCTION_REFUSAL)
        try:
            load_demo(self.stdout.write)
        except DemoError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"\nВход в портал. Пароль всех демонстрационных пользователей: {DEMO_PASSWORD} "
            "(пользователям, созданным раньше, пароль не меняется).\n"
        )
        self.stdout.write(logins_table())
