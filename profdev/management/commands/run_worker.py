import logging
from time import monotonic, sleep

from django.db import DatabaseError, close_old_connections
from django_tasks_db.management.commands import db_worker

logger = logging.getLogger("profdev.jobs")

FIRST_PAUSE = 1.0  # seconds before polling again after a database error; doubled each time
LONGEST_PAUSE = 60.0
HEALTHY_AFTER = 300.0  # a worker that ran this long before an error starts from FIRST_PAUSE


class Command(db_worker.Command):
    help = (
        "Обработчик фоновых задач (`make worker`): db_worker, который при ошибке базы данных "
        "(база заблокирована или недоступна) пишет её в журнал, ждёт и продолжает работу."
    )

    def handle(self, *args, **options):
        pause = FIRST_PAUSE
        while True:
            started = monotonic()
            try:
                return super().handle(*args, **options)
            except DatabaseError as error:
                if monotonic() - started > HEALTHY_AFTER:
                    pause = FIRST_PAUSE
                logger.warning(
                    "Обработчик задач: ошибка базы данных (%s); повтор через %.0f с", error, pause
                )
                close_old_connections()  # a broken connection is opened anew
                sleep(pause)
                pause = min(pause * 2, LONGEST_PAUSE)
