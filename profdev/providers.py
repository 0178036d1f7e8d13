"""Providers proposed from the course form (docs/providers.md).

A school administrator who types a name no listed provider has proposes it: the provider is
created unconfirmed and the school's own (its forms list it, other schools' do not) until a
methodologist of the district confirms it (then every form lists it), merges it into a
provider of the list (its courses move there) or rejects it (only when nothing refers to it).
The name key stays unique: a second school typing the same name joins the proposal.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, ProtectedError, Q, QuerySet
from django.utils import timezone

from profdev import history
from profdev.models import (
    ChangeRecord,
    CourseCompletion,
    Provider,
    ProviderDecision,
    School,
)
from profdev.scoping import Scope
from profdev.text import match_key
from profdev.workbook import sheets
from profdev.workbook.labels import record_label


def visible(scope: Scope, *, also: int | None = None) -> QuerySet[Provider]:
    """The providers the user's forms offer: the confirmed ones and those proposed by the
    user's schools; `also`: a record's own provider, kept choosable when editing it."""
    shown = Q(confirmed=True) | Q(pk__in=proposed(scope).values("pk"))
    if also is not None:
        shown |= Q(pk=also)
    return Provider.objects.filter(shown)


def proposed(scope: Scope) -> QuerySet[Provider]:
    """Unconfirmed providers proposed by a school the user reads."""
    return Provider.objects.filter(
        confirmed=False, proposed_by__in=scope.schools().values("pk")
    ).distinct()


def choice_label(provider: Provider) -> str:
    if provider.confirmed:
        return provider.name
    return f"{provider.name} (предложена ОО, не подтверждена)"


def for_name(name: str, listed: QuerySet[Provider]) -> Provider:
    """The provider a typed name means: a listed one with that name key, another school's
    proposal with it (joined on saving) or a new, unsaved, unconfirmed one."""
    key = match_key(name)
    found = listed.filter(name_key=key).first() or Provider.objects.filter(name_key=key).first()
    return found or Provider(name=name, kind=Provider.Kind.EXTERNAL, confirmed=False)


def propose(provider: Provider, *, scope: Scope, schools) -> Provider:
    """Save a provider typed into a course form: district staff add it to the list at once;
    a school administrator's is their schools' proposal (joined if another school's)."""
    if provider.pk is None:
        provider.confirmed = scope.is_district_staff
        provider.proposed_at = None if provider.confirmed else timezone.now()
        provider.save()
    if not provider.confirmed and not scope.is_district_staff:
        provider.proposed_by.add(*schools)
    return provider


def _decision(provider: Provider, action: str, *, user, target=None, courses=0) -> None:
    decision = ProviderDecision.objects.create(
        name=provider.name,
        proposed_at=provider.proposed_at,
        action=action,
        provider=target,
        provider_name=target.name if target else "",
        courses=courses,
        decided_by=user,
    )
    decision.schools.set(provider.proposed_by.all())


def _check_name(name: str, provider: Provider) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError("Укажите наименование организации.")
    if len(name) > Provider._meta.get_field("name").max_length:
        raise ValidationError("Наименование слишком длинное.")
    same = Provider.objects.filter(name_key=match_key(name)).exclude(pk=provider.pk).first()
    if same is not None:
        raise ValidationError(
            f"Организация «{same.name}» уже есть в списке: объедините предложенную с ней."
        )
    return name


@transaction.atomic
def confirm(provider: Provider, *, name: str, kind: str, user) -> None:
    """Into the list, for every school: with the name and kind the methodologist settles."""
    if kind not in Provider.Kind.values:
        raise ValidationError("Выберите вид организации.")
    provider.name = _check_name(name, provider)
    provider.kind = kind
    provider.confirmed = True
    provider.save()
    _decision(provider, ProviderDecision.Action.CONFIRMED, user=user, target=provider)


def _collisions(provider: Provider, target: Provider) -> list[CourseCompletion]:
    """The proposal's courses whose key the target already holds (the same person, kind,
    programme and end date)."""
    moved = provider.courses.select_related("person").order_by(
        "person__last_name", "person__first_name", "finished_on"
    )
    held = set(
        target.courses.filter(person__in=moved.values("person")).values_list(
            "person_id", "kind", "programme", "finished_on"
        )
    )
    return [c for c in moved if (c.person_id, c.kind, c.programme, c.finished_on) in held]


@transaction.atomic
def merge(provider: Provider, target: Provider, *, user) -> int:
    """Move the proposal's courses (and plan-order lines) to `target` and drop the proposal;
    refused, naming them, when some course is already there (two records of one course:
    the school deletes one first). Returns the number of courses moved."""
    if target.pk == provider.pk or not target.confirmed:
        raise ValidationError("Выберите организацию из списка подтверждённых.")
    collisions = _collisions(provider, target)
    if collisions:
        named = "; ".join(
            f"{c.person.full_name} — «{c.programme}», {c.finished_on:%d.%m.%Y}" for c in collisions
        )
        raise ValidationError(
            f"Объединить нельзя: в «{target.name}» уже записаны те же курсы ({named}). "
            "Удалите лишние записи в карточках и повторите."
        )
    courses = list(provider.courses.select_related("person"))
    history.record_changes(
        [
            history.Change(
                person_id=c.person_id,
                record_type=str(CourseCompletion._meta.verbose_name),
                record_label=record_label(
                    sheets.COURSES,
                    (c.person.snils, c.kind, c.programme, provider.name_key, c.finished_on),
                ),
                action=ChangeRecord.Action.UPDATE,
                changes={"provider": [provider.name, target.name]},
            )
            for c in courses
        ],
        user=user,
        source=ChangeRecord.Source.FORM,
    )
    for relation in Provider._meta.related_objects:  # courses, plan-order lines, …
        if relation.one_to_many:
            field = relation.field.name
            relation.related_model.objects.filter(**{field: provider}).update(**{field: target})
    _decision(
        provider, ProviderDecision.Action.MERGED, user=user, target=target, courses=len(courses)
    )
    provider.delete()
    return len(courses)


@transaction.atomic
def reject(provider: Provider, *, user) -> None:
    """Drop a proposal nothing refers to any more."""
    used = provider.courses.count()
    if used:
        raise ValidationError(
            f"Отклонить нельзя: по организации внесено курсов — {used}. Объедините её с "
            "организацией из списка или попросите ОО исправить курсы."
        )
    _decision(provider, ProviderDecision.Action.REJECTED, user=user)
    try:
        provider.delete()
    except ProtectedError as error:
        raise ValidationError(
            "Отклонить нельзя: организация указана в плане-заказе. Объедините её с "
            "организацией из списка."
        ) from error


def pending(scope: Scope) -> list[Provider]:
    """The proposals a methodologist decides on, oldest first, with their schools and the
    number of courses recorded."""
    return list(
        Provider.objects.filter(pk__in=proposed(scope).values("pk"))
        .annotate(course_count=Count("courses", distinct=True))
        .prefetch_related("proposed_by")
        .order_by("proposed_at", "name")
    )


def decisions(scope: Scope) -> QuerySet[ProviderDecision]:
    return (
        ProviderDecision.objects.filter(
            pk__in=ProviderDecision.objects.filter(schools__in=scope.schools().values("pk")).values(
                "pk"
            )
        )
        .select_related("decided_by")
        .prefetch_related("schools")
    )


def proposing_schools(scope: Scope, person) -> QuerySet[School]:
    """The schools a proposal from a person's course form is of: the user's schools that
    employ the person."""
    return scope.editable_schools().filter(employments__person=person).distinct()
