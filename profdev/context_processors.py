"""What every page's navigation needs: the user's scope and, for a school administrator, their
schools and the current one."""

from collections.abc import Iterable

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from profdev.models import School
from profdev.scoping import scope_for
from profdev.text import natural_key

CURRENT_SCHOOL = "profdev_school"  # session key: the school whose workspace was opened last
PAGE_SCHOOL = "profdev_page_school"  # request attribute: the school the page is about


def page_school_or_404(request: HttpRequest, code: str) -> School:
    """The school a page is about, within the user's scope (404 outside it): the page's
    navigation leads to this school's pages."""
    school = scope_for(request.user).school_or_404(code)
    setattr(request, PAGE_SCHOOL, school)
    return school


def current_school(request: HttpRequest, schools: Iterable[School]) -> School | None:
    """Of the user's `schools`, the one their navigation leads to: the school of the page
    (`page_school_or_404`), else the one whose workspace they opened last, else the first."""
    page_school = getattr(request, PAGE_SCHOOL, None)
    if page_school is not None:
        return page_school
    code = request.session.get(CURRENT_SCHOOL)
    schools = list(schools)
    return next((s for s in schools if s.code == code), schools[0] if schools else None)


def navigation(request: HttpRequest) -> dict:
    """The user's scope for the navigation bar (which sections to show)."""
    return {"scope": scope_for(request.user)} if hasattr(request, "user") else {}


def school_navigation(request: HttpRequest) -> dict:
    """A school administrator's `user_schools` (the switcher, in natural order of their names)
    and `current_school`: read once, when a template first uses them."""
    if not hasattr(request, "user") or not scope_for(request.user).is_school_admin:
        return {}
    schools = SimpleLazyObject(
        lambda: sorted(scope_for(request.user).schools(), key=lambda s: natural_key(s.short_name))
    )
    return {
        "user_schools": schools,
        "current_school": SimpleLazyObject(lambda: current_school(request, schools)),
    }
