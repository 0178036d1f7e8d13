"""Accounting of exports (152-ФЗ): every download of data and every subject-access export
goes through `log_export`, one call per export.

The entry lands in the access log beside the card views (`profdev.access_log`: who, when,
what, which school or person) and in the `profdev.audit` logger;
a command (no user) is named by the operating-system account that ran it.
"""

import getpass
import logging

from profdev.access_log import log_access
from profdev.models import AccessLog, Person, School

logger = logging.getLogger("profdev.audit")


def log_export(
    user, what: str, *, school: School | None = None, person: Person | None = None
) -> AccessLog:
    """Record that `user` (None: a management command) exported `what`."""
    entry = log_access(
        user=user, action=AccessLog.Action.EXPORT, person=person, school=school, subject=what
    )
    logger.info(
        "Выгрузка: %s; кто: %s; ОО: %s; работник: %s; запись журнала %s",
        what,
        who(user),
        school.code if school else "—",
        person.pk if person else "—",
        entry.pk,
    )
    return entry


def who(user) -> str:
    return user.get_username() if user is not None else f"команда ({getpass.getuser()})"
