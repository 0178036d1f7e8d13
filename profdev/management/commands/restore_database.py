from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from profdev.backup import BackupError, restore_database


class Command(BaseCommand):
    help = (
        "Восстановить базу из резервной копии: всё содержимое базы заменяется копией. "
        "Остановите портал и обработчик задач до восстановления."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--confirm", action="store_true", help="действительно заменить содержимое базы"
        )

    def handle(self, *args, **options):
        if not options["confirm"]:
            raise CommandError(
                "Восстановление заменит всё содержимое базы. Повторите команду с --confirm."
            )
        try:
            restore_database(options["file"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"База восстановлена из {options['file']}.")
