"""Schools report back on their letters: for each finding the letter cites, what was done,
when, the routes (ИОМ) of the school's people and the measures that address it.

The school administrator answers until the letter's term (`response_due`: the date a
methodologist set, or `RESPONSE_DAYS` after the letter's date), that day included; after it
nothing changes. The measures are a layer above the letters: the measures' app registers how
a response names them (`add_link`), so this module never imports it.
"""

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Protocol

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.module_loading import import_string

from monitoring.models import MonitoringYear
from profdev.models import DevelopmentRoute
from profdev.scoping import Scope, persons_kept_by
from recommendations.models import (
    RESPONSE_DAYS,
    CitedFinding,
    FindingResponse,
    Letter,
    ResponseTerm,
)
from recommendations.people import short_name

# --- What an app above adds to a response ---------------------------------------------------


class ResponseLink(Protocol):
    """Records of an app above that a response names (the measures): offered for a letter,
    read for the responses shown, and set when a response is saved."""

    label: str

    def choices(self, letter: Letter) -> list[tuple[int, str]]: ...

    def chosen(self, responses: Collection[FindingResponse]) -> dict[int, list[tuple[int, str]]]:
        """Response id → (id, label) of the records it names (one query)."""
        ...

    def link(self, response: FindingResponse, ids: list[int]) -> None: ...


# Name → dotted path of a `ResponseLink`, registered in the app's `AppConfig.ready()`.
LINKS: dict[str, str] = {}


def add_link(name: str, path: str) -> None:
    LINKS[name] = path


def links() -> dict[str, ResponseLink]:
    return {name: import_string(path) for name, path in LINKS.items()}


# --- The term ------------------------------------------------------------------------------


def response_due(letter: Letter) -> dt.date | None:
    """The last day the school may answer; None for a letter not yet dated (signed). Reads
    `letter.response_term` (select it with the letter)."""
    term = getattr(letter, "response_term", None)
    if term is not None:
        return term.due
    return None if letter.date is None else letter.date + dt.timedelta(days=RESPONSE_DAYS)


def _label(letter: Letter) -> str:
    return f"№ {letter.number} от {letter.date:%d.%m.%Y}" if letter.number else "(проект)"


@transaction.atomic
def response_term_set(*, letter: Letter, due: dt.date, user) -> ResponseTerm:
    """Set (or move) the school's term; not before the letter's date."""
    if not letter.is_to_school:
        raise ValidationError(
            f"Письмо «{letter.addressee_short}» не требует ответа ОО: срок не задаётся."
        )
    if letter.date is not None and due < letter.date:
        raise ValidationError(
            f"Срок ответа {due:%d.%m.%Y} раньше даты письма {letter.date:%d.%m.%Y}: "
            "укажите дату не раньше письма."
        )
    term, _ = ResponseTerm.objects.update_or_create(
        letter=letter, defaults={"due": due, "set_by": user}
    )
    letter.response_term = term
    return term


# --- The school's answers ---------------------------------------------------------------------


def finding_codes(letter: Letter) -> set[str]:
    """The indicators the letter cites (its `CitedFinding` rows)."""
    return set(letter.cited.values_list("indicator_id", flat=True))


def school_routes(letter: Letter, *, today: dt.date) -> QuerySet[DevelopmentRoute]:
    """The routes a response may name: of the people the school keeps (`persons_kept_by`)."""
    return (
        DevelopmentRoute.objects.filter(person__in=persons_kept_by([letter.school_id], today=today))
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "person__middle_name", "started_on")
    )


def route_label(route: DevelopmentRoute) -> str:
    name = short_name(route.person)
    ended = f" по {route.ended_on:%d.%m.%Y}" if route.ended_on else ""
    return f"{name} — ИОМ с {route.started_on:%d.%m.%Y}{ended}"


@dataclass
class Answer:
    """A school's answer to one finding as entered; `links`: name → ids of records chosen."""

    code: str
    done: str
    done_on: dt.date
    routes: list[DevelopmentRoute] = field(default_factory=list)
    links: dict[str, list[int]] = field(default_factory=dict)


def closed_refusal(letter: Letter, due: dt.date) -> str:
    return (
        f"Срок ответа на письмо {_label(letter)} истёк {due:%d.%m.%Y}: ответ изменить нельзя. "
        "Если срок нужно продлить, обратитесь к методисту ИМК."
    )


def is_open(letter: Letter, today: dt.date) -> bool:
    due = response_due(letter)
    return due is not None and today <= due


def _check(
    letter: Letter, answer: Answer, codes: set[str], routes: set[int], today: dt.date
) -> None:
    if answer.code not in codes:
        raise ValidationError(f"Показателя «{answer.code}» нет в письме {_label(letter)}.")
    if answer.done_on > today:
        raise ValidationError(
            f"Дата «когда» {answer.done_on:%d.%m.%Y} ещё не наступила: ответ — о том, что уже "
            "сделано."
        )
    if answer.done_on < letter.date:
        raise ValidationError(
            f"Дата «когда» {answer.done_on:%d.%m.%Y} раньше письма {_label(letter)}: укажите, "
            "что сделано после письма."
        )
    foreign = [r for r in answer.routes if r.pk not in routes]
    if foreign:
        raise ValidationError(
            "ИОМ не работников ОО нельзя указать: " + ", ".join(f"№ {r.pk}" for r in foreign) + "."
        )


@transaction.atomic
def letter_respond(*, letter: Letter, answers: list[Answer], user, today: dt.date | None = None):
    """Save the school's answers to its letter's findings (each replaces the earlier one of
    its finding); refused whole after the term or on any bad answer."""
    today = today or timezone.localdate()
    # Locked (read, never updated: a signed row is frozen) so that two saves of one letter's
    # answers run one after the other.
    letter = (
        Letter.objects.select_for_update(of=("self",))
        .select_related("response_term", "monitoring_year")
        .defer(*Letter.HEAVY)
        .get(pk=letter.pk)
    )
    if not letter.is_signed or not letter.is_to_school:
        raise ValidationError("Отвечают только на подписанное письмо ОО.")
    due = response_due(letter)
    if today > due:
        raise ValidationError(closed_refusal(letter, due))
    codes = finding_codes(letter)
    routes = set(school_routes(letter, today=today).values_list("pk", flat=True))
    registered = links()
    allowed = {name: {pk for pk, _ in link.choices(letter)} for name, link in registered.items()}
    for answer in answers:
        _check(letter, answer, codes, routes, today)
        for name, ids in answer.links.items():
            unknown = sorted(set(ids) - allowed[name])
            if unknown:
                raise ValidationError(
                    f"{registered[name].label}: нельзя указать № {', '.join(map(str, unknown))}."
                )
        response = FindingResponse.objects.filter(
            letter=letter, indicator_id=answer.code
        ).first() or FindingResponse(letter=letter, indicator_id=answer.code)
        response.done, response.done_on, response.updated_by = answer.done, answer.done_on, user
        response.full_clean(validate_constraints=False)
        response.save()
        response.routes.set(answer.routes)
        for name, link in registered.items():
            link.link(response, answer.links.get(name, []))


# --- Reading the answers ----------------------------------------------------------------------


@dataclass
class ResponseRow:
    """One finding of a letter and the school's answer to it (None before an answer)."""

    code: str
    name: str
    value_text: str
    response: FindingResponse | None
    linked: dict[str, list[tuple[int, str]]]  # link name → (id, label) of the records named

    @property
    def named(self) -> list[str]:
        """The routes and the linked records the answer names, as shown."""
        if self.response is None:
            return []
        routes = [route_label(r) for r in self.response.routes.all()]
        return routes + [label for records in self.linked.values() for _, label in records]


def _responses(letters) -> QuerySet[FindingResponse]:
    routes = DevelopmentRoute.objects.select_related("person").order_by(
        "person__last_name", "started_on"
    )
    return FindingResponse.objects.filter(letter__in=letters).prefetch_related(
        Prefetch("routes", routes)
    )


def linked_records(
    responses: Collection[FindingResponse],
) -> dict[int, dict[str, list[tuple[int, str]]]]:
    """Response id → link name → (id, label) of the records it names (a query per link)."""
    result: dict[int, dict[str, list[tuple[int, str]]]] = {r.pk: {} for r in responses}
    for name, link in links().items():
        for pk, records in link.chosen(responses).items():
            result[pk][name] = records
    return result


def letter_responses(letter: Letter) -> list[ResponseRow]:
    """Every finding of the letter with the school's answer, in the letter's order."""
    responses = {r.indicator_id: r for r in _responses([letter.pk])}
    linked = linked_records(responses.values())
    return [
        ResponseRow(
            f["code"],
            f["name"],
            f["value_text"],
            responses.get(f["code"]),
            linked.get(responses[f["code"]].pk, {}) if f["code"] in responses else {},
        )
        for f in letter.figures.get("findings", [])
    ]


def responses_by_letter(letters: Collection[Letter]) -> dict[tuple[int, str], FindingResponse]:
    """(letter id, indicator code) → the answer, each with its routes and `linked` records."""
    responses = list(_responses([x.pk for x in letters]))
    linked = linked_records(responses)
    for response in responses:
        response.linked = linked[response.pk]
    return {(r.letter_id, r.indicator_id): r for r in responses}


def _school_letters(letters: QuerySet[Letter]) -> QuerySet[Letter]:
    """Signed school letters with their term, how many findings they cite and how many of
    them were answered."""
    return (
        letters.filter(status=Letter.State.SIGNED, kind=Letter.Kind.SCHOOL)
        .select_related("school", "response_term")
        .defer(*Letter.HEAVY)
        .annotate(answered=_count(FindingResponse), findings=_count(CitedFinding))
    )


def _count(model) -> Coalesce:
    """How many rows of `model` name the letter (a subquery: two counts, no joined rows)."""
    rows = model.objects.filter(letter=OuterRef("pk")).order_by().values("letter")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), 0)


@dataclass
class LetterAnswers:
    letter: Letter
    due: dt.date
    answered: int
    findings: int

    @property
    def label(self) -> str:
        return _label(self.letter)

    def overdue(self, today: dt.date) -> bool:
        return today > self.due


def _answers(letter: Letter) -> LetterAnswers:
    return LetterAnswers(letter, response_due(letter), letter.answered, letter.findings)


def responses_due(school_ids: Collection[int], *, today: dt.date) -> list[LetterAnswers]:
    """The school's letters it may still answer (the banner): term not past, some finding
    unanswered; two queries."""
    letters = _school_letters(Letter.objects.filter(school_id__in=school_ids))
    due = [_answers(x) for x in letters]
    return sorted(
        (a for a in due if not a.overdue(today) and a.answered < a.findings),
        key=lambda a: a.due,
    )


def unanswered(scope: Scope, year: MonitoringYear) -> list[LetterAnswers]:
    """The year's signed school letters of the user's districts with a finding unanswered,
    the schools in natural order; one query."""
    letters = _school_letters(
        scope.in_districts(Letter.objects.filter(monitoring_year=year), "monitoring_year__district")
    )
    rows = [_answers(x) for x in letters]
    return sorted(
        (a for a in rows if a.answered < a.findings), key=lambda a: a.letter.natural_order()
    )
