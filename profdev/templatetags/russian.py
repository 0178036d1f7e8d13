"""Template filters for Russian text: `{{ n|plural:"нарушение,нарушения,нарушений" }}`."""

from django import template

from profdev.text import plural as plural_form

register = template.Library()


@register.filter
def plural(n: int, forms: str) -> str:
    """The number and the noun agreeing with it: «181 нарушение», «5 нарушений»."""
    one, few, many = forms.split(",")
    return f"{n}\u00a0{plural_form(int(n), one, few, many)}"
