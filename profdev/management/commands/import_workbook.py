from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from profdev.workbook.importer import import_workbook


class Command(BaseCommand):
    help = "Загрузить книгу .xlsx в формате workbook.md (всё или ничего)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--dry-run", action="store_true", help="только проверить, не записывать"
        )
        parser.add_argument(
            "--user", help="проверить права этого пользователя, как при загрузке на сайте"
        )

    def handle(self, *args, **options):
        user = None
        if options["user"]:
            try:
                user = get_user_model().objects.get(username=options["user"])
            except get_user_model().DoesNotExist:
                raise CommandError(f"Пользователь «{options['user']}» не найден.") from None
        analysis = import_workbook(options["file"], user=user, dry_run=options["dry_run"])
        if analysis.errors:
            for issue in analysis.errors:
                self.stdout.write(str(issue))
            raise SystemExit(1)
        if options["dry_run"]:
            self.stdout.write("Проверка без записи: в базе ничего не изменено.")
        for name, c in analysis.counts.items():
            self.stdout.write(
                f"{name}: создано {c.created}, изменено {c.updated}, "
                f"удалено {c.deleted}, без изменений {c.unchanged}"
            )
        for warning in analysis.warnings:
            self.stdout.write(f"Предупреждение: {warning}")
