"""The school workspace's banners: letters awaiting the school's answer
(`{% letters_to_answer school as due %}`) and signed letters nobody of the school has
acknowledged yet (`{% letters_to_acknowledge school as unread %}`)."""

from django import template
from django.utils import timezone

from profdev.models import School
from recommendations.listing import unconfirmed
from recommendations.models import Letter
from recommendations.responses import LetterAnswers, responses_due

register = template.Library()


@register.simple_tag
def letters_to_answer(school: School) -> list[LetterAnswers]:
    """The school's signed letters still open for its answer and not answered in full."""
    return responses_due([school.pk], today=timezone.localdate())


@register.simple_tag
def letters_to_acknowledge(school: School) -> list[Letter]:
    """The school's signed letters whose receipt nobody of the school has confirmed."""
    return list(unconfirmed(Letter.objects.filter(school=school)).order_by("date", "pk"))
