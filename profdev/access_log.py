"""Accounting of access to personal data (152-ФЗ): every card view and every export."""

from profdev.models import AccessLog, Person, School


def log_access(
    *,
    user,
    action: str,
    person: Person | None = None,
    school: School | None = None,
    subject: str = "",
) -> AccessLog:
    """Record that `user` viewed a person's card or exported data (`subject`: what)."""
    return AccessLog.objects.create(
        user=user, action=action, person=person, school=school, subject=subject[:255]
    )
