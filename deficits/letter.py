"""The course order issued to a provider as an official letter (deficits.md «Course order»):
drafted here from the order's lines of that provider, then edited, sent, numbered and signed
as every letter of the office (`recommendations.services`, `recommendations.pdf`).

The lines and the places per school are copied into the letter (`Letter.figures["order"]`)
when it is drafted, so a later change of the order never changes a letter; drafting again
replaces the figures of a letter still editable (and its text, unless the methodologist
edited it) and never touches a letter sent for signature or signed."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.text import capfirst

from deficits.models import CourseOrder, CourseOrderLine, CourseOrderSchool
from monitoring.models import MonitoringYear
from profdev.facts import academic_year_label
from profdev.models import Organisation, Provider
from profdev.text import natural_key
from recommendations.models import Letter, LetterEvent
from recommendations.text import keep_numbers, sanitise

TITLE = (
    "О плане-заказе на обучение педагогических работников по дополнительным "
    "профессиональным программам на {label} учебный год"
)
SALUTATION = "Уважаемые коллеги!"
BODY_TEMPLATE = "deficits/letter_body_course_order.html"


@dataclass(frozen=True)
class Drafted:
    letter: Letter
    created: bool


def addressee_for(provider: Provider) -> str:
    return f"Руководителю\n{provider.name}"


def _line(n: int, line: CourseOrderLine) -> dict:
    return {
        "n": n,
        "component": capfirst(str(line.get_component_display())),
        "subject": line.get_subject_display() if line.subject else "",
        "topics": ", ".join(line.topic_labels()) or "—",
        "programme": line.programme,
        "form": line.get_form_display() if line.form else "",
        "hours": line.hours,
        "number": line.number,
    }


def order_figures(order: CourseOrder, provider: Provider) -> dict:
    """What the letter says of the order: its lines for the provider (with places ordered)
    and the people proposed per school and line; two queries."""
    lines = sorted(
        order.lines.filter(provider=provider, number__gt=0), key=lambda line: line.sort_key
    )
    if not lines:
        raise ValidationError(
            f"В плане-заказе нет строк с организацией «{provider.name}» и числом мест больше "
            "нуля: письмо составлять не о чем. Укажите организацию и число мест в строках."
        )
    index = {line.pk: i for i, line in enumerate(lines)}
    places: dict[str, list[int]] = {}
    rows = CourseOrderSchool.objects.filter(line__in=lines).select_related("school")
    for row in rows:
        places.setdefault(row.school.short_name, [0] * len(lines))[index[row.line_id]] = (
            row.proposed
        )
    return {
        "label": order.label,
        "groups_label": academic_year_label(order.year),
        "reference_date": f"{order.reference_date:%d.%m.%Y}",
        "lines": [_line(n, line) for n, line in enumerate(lines, 1)],
        "total": sum(line.number for line in lines),
        "problem_lines": any(line.subject for line in lines),
        "schools": [
            {"school": name, "places": counts}
            for name, counts in sorted(places.items(), key=lambda i: natural_key(i[0]))
        ],
    }


def _body(order: CourseOrder, figures: dict) -> str:
    organisation = Organisation.objects.filter(district_id=order.district_id).first()
    genitive = (organisation and organisation.name_genitive) or "муниципалитета"
    context = {"order": figures, "district_genitive": genitive}
    return sanitise(keep_numbers(render_to_string(BODY_TEMPLATE, context)))


@transaction.atomic
def order_letter_draft(*, order: CourseOrder, provider: Provider, user) -> Drafted:
    """The provider's letter of the order, drafted or drafted again (see the module)."""
    figures = {"order": order_figures(order, provider), "salutation": SALUTATION}
    body = _body(order, figures["order"])
    monitoring_year, _ = MonitoringYear.objects.get_or_create(
        district_id=order.district_id,
        year=order.year,
        defaults={"reference_date": order.reference_date},
    )
    letter = (
        Letter.objects.select_for_update()
        .filter(monitoring_year=monitoring_year, kind=Letter.Kind.COURSE_ORDER, provider=provider)
        .order_by("pk")  # not the default ordering: its join to the (null) school cannot be locked
        .first()
    )
    if letter is not None and not letter.is_editable:
        named = f"Письмо организации «{provider.name}» по плану-заказу на {order.label} уч. г."
        if letter.is_signed:
            raise ValidationError(
                f"{named} подписано {letter.date:%d.%m.%Y} № {letter.number}: подписанное "
                "письмо не меняется."
            )
        raise ValidationError(
            f"{named} на подписи: составить его заново можно после возврата на доработку."
        )
    fields = {
        "title": TITLE.format(label=order.label),
        "addressee": addressee_for(provider),
        "generated_body": body,
        "figures": figures,
    }
    created = letter is None
    if created:
        letter = Letter(
            monitoring_year=monitoring_year,
            kind=Letter.Kind.COURSE_ORDER,
            provider=provider,
            executor=user,
            body=body,
            **fields,
        )
        event = LetterEvent.Kind.CREATED
    else:
        for name, value in fields.items():
            setattr(letter, name, value)
        if not letter.edited:
            letter.body = body
        event = LetterEvent.Kind.REDRAFTED
    letter.full_clean()
    letter.save()
    LetterEvent.objects.create(letter=letter, kind=event, user=user)
    return Drafted(letter, created)
