from django.core.management.base import BaseCommand, CommandError

from profdev.demo.loading import DEMO_PASSWORD, DemoError, load_demo


class Command(BaseCommand):
    help = (
        "Загрузить демонстрационный муниципалитет: реквизиты, 12 ОО, педагогов, пользователей "
        "и мониторинг. Повторный запуск ничего не меняет."
    )

    def handle(self, *args, **options):
        try:
            load_demo(self.stdout.write)
        except DemoError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Пароль всех демонстрационных пользователей: {DEMO_PASSWORD} "
            "(пользователям, созданным раньше, пароль не меняется)."
        )
