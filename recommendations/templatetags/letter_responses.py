"""The school workspace's banner of letters awaiting the school's answer:
`{% letters_to_answer school as due %}`."""

from django import template
from django.utils import timezone

from profdev.models import School
from recommendations.responses import LetterAnswers, responses_due

register = template.Library()


@register.simple_tag
def letters_to_answer(school: School) -> list[LetterAnswers]:
    """The school's signed letters still open for its answer and not answered in full."""
    return responses_due([school.pk], today=timezone.localdate())
