from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from profdev.backup import BackupError, backup_database


class Command(BaseCommand):
    help = "Резервная копия базы: PostgreSQL — pg_dump -Fc, SQLite — согласованная копия файла."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, **options):
        try:
            backup_database(options["file"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        size = options["file"].stat().st_size
        self.stdout.write(f"Резервная копия записана: {options['file']} ({size} байт)")
