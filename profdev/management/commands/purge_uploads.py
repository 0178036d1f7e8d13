from django.conf import settings
from django.core.management.base import BaseCommand

from profdev.uploads import purge_uploads


class Command(BaseCommand):
    help = (
        "Удалить незаписанные загрузки книг старше PROFDEV_UPLOAD_KEEP_HOURS часов вместе с "
        "файлами и файлы загрузок, на которые ничто не ссылается (запуск по расписанию)."
    )

    def handle(self, *args, **options):
        uploads, files = purge_uploads()
        self.stdout.write(
            f"Удалено загрузок старше {settings.UPLOAD_KEEP_HOURS} ч: {uploads}, файлов: {files}"
        )
