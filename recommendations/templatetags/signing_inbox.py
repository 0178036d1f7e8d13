"""The head's signing inbox in the navigation: `{% awaiting_signature scope as n %}`."""

from django import template

from profdev.scoping import Scope
from recommendations.selectors import letters_awaiting_signature

register = template.Library()


@register.simple_tag
def awaiting_signature(scope: Scope) -> int:
    """How many letters wait for the head's signature (one query, for a head only)."""
    return letters_awaiting_signature(scope).count() if scope.can_sign else 0
