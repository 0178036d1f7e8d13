"""The office's requisites (profdev.Organisation) for its letters: who enters them, their
history, and the rule that a letter goes for signature only with every requisite filled.

The administrator (every district) and the head (their districts) enter them on the portal's
requisites page; each save is written to the admin's log (who, when, which fields), which the
page and the object's history in the admin show.
"""

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from profdev.models import District, Organisation, RoleGrant
from profdev.scoping import Scope


def editable_districts(scope: Scope) -> QuerySet[District]:
    """The districts whose requisites the user enters: all for the administrator, the head's
    own; nobody else's (the page answers 404)."""
    if RoleGrant.Role.ADMIN in scope.roles:
        return District.objects.all()
    if scope.can_sign:
        return scope.districts()
    return District.objects.none()


def organisation_of(district: District) -> Organisation:
    """The district's requisites, or an empty record not yet saved."""
    return Organisation.objects.filter(district=district).first() or Organisation(district=district)


def require_requisites(district: District) -> None:
    """Refuse (in Russian, naming the empty fields) while the requisites are incomplete."""
    missing = organisation_of(district).missing()
    if missing:
        raise ValidationError(
            f"Реквизиты отдела образования ({district}) заполнены не полностью, не указано: "
            f"{', '.join(missing)}. Их вводят администратор или начальник отдела образования "
            "на странице «Реквизиты» портала."
        )


@transaction.atomic
def requisites_save(*, organisation: Organisation, changed: list[str], user) -> Organisation:
    organisation.full_clean()
    created = organisation.pk is None
    organisation.save()
    if created or changed:
        labels = [str(Organisation._meta.get_field(name).verbose_name) for name in changed]
        message = [{"added": {}}] if created else [{"changed": {"fields": labels}}]
        action = ADDITION if created else CHANGE
        LogEntry.objects.log_actions(
            user.pk, [organisation], action, change_message=message, single_object=True
        )
    return organisation


def requisites_history(organisation: Organisation) -> QuerySet[LogEntry]:
    if organisation.pk is None:
        return LogEntry.objects.none()
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Organisation),
        object_id=str(organisation.pk),
    ).select_related("user")
