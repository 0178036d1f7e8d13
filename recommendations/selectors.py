"""Reading letters: within a user's scope (`profdev.scoping`; outsiders get 404), and those
naming a person (their data under 152-ФЗ)."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from monitoring.models import MonitoringYear
from profdev.models import Person
from profdev.scoping import Scope
from recommendations.models import Letter, LetterEvent
from recommendations.people import letter_people, short_name
from recommendations.text import NBSP


def letters_visible(scope: Scope) -> QuerySet[Letter]:
    """District staff: every letter of their districts. School administrators: the signed
    letters addressed to their schools and the signed district letters «Руководителям ОО»
    (never a course order to a provider)."""
    letters = Letter.objects.select_related("school", "provider", "monitoring_year__district")
    if scope.is_district_staff:
        return scope.in_districts(letters, "monitoring_year__district")
    if scope.is_school_admin:
        district_ids = scope.schools().values("district_id")
        return letters.filter(status=Letter.State.SIGNED).filter(
            Q(kind=Letter.Kind.SCHOOL, school_id__in=scope.school_ids)
            | Q(kind=Letter.Kind.DISTRICT, monitoring_year__district_id__in=district_ids)
        )
    return letters.none()


def letter_or_404(scope: Scope, pk: int) -> Letter:
    try:
        return (
            letters_visible(scope)
            .select_related("monitoring_year__district__organisation")
            .get(pk=pk)
        )
    except Letter.DoesNotExist:
        raise Http404 from None


def letter_rows(letters: QuerySet[Letter]) -> QuerySet[Letter]:
    """Letters for a list: without their heavy columns (PDF, texts), with each letter's
    receipt confirmations (who, when) as `letter.confirmations`; two queries in all."""
    confirmed = LetterEvent.objects.filter(kind=LetterEvent.Kind.CONFIRMED).select_related("user")
    return letters.defer(*Letter.HEAVY).prefetch_related(
        Prefetch("events", confirmed, to_attr="confirmations")
    )


def monitoring_years(scope: Scope) -> QuerySet[MonitoringYear]:
    return MonitoringYear.objects.filter(district__in=scope.districts()).select_related("district")


def signed_letters_naming(person: Person) -> int:
    """Signed letters to the person's schools that name them (in the appendix frozen with the
    figures; letters drafted before the appendix, in their text): kept as they are when the
    person is erased (`profdev.privacy`). One query; a school has a letter a year."""
    employments = person.employments.all()
    to_school = Q(kind=Letter.Kind.SCHOOL, school__in=employments.values("school"))
    to_district = Q(
        kind=Letter.Kind.DISTRICT,
        monitoring_year__district__in=employments.values("school__district"),
    )
    name = short_name(person)
    letters = Letter.objects.filter(to_school | to_district, status=Letter.State.SIGNED)
    return sum(
        name in letter_people(letter) or name.replace(NBSP, " ") in letter.body
        for letter in letters.only("body", "figures")
    )


def letters_awaiting_signature(scope: Scope) -> QuerySet[Letter]:
    """The signing inbox: the letters sent for signature, for a head (nothing for others)."""
    if not scope.can_sign:
        return Letter.objects.none()
    return letters_visible(scope).filter(status=Letter.State.SENT)


def status_counts(year: MonitoringYear | None) -> dict[str, int]:
    """How many of the year's letters are in each state (one query; nothing without a year)."""
    if year is None:
        return {}
    rows = Letter.objects.filter(monitoring_year=year).values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows.order_by()}
