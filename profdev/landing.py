"""Where each user starts: the home page sends them there, `load_demo` lists it."""

from django.urls import reverse

from profdev.models import School
from profdev.scoping import scope_for


def landing_url(user, school: School | None = None) -> str | None:
    """District staff: the district overview; a school administrator: the workspace of
    `school`, their current school (`context_processors.current_school`); the IT
    administrator: the admin. None for a user without a role."""
    scope = scope_for(user)
    if scope.is_district_staff:
        return reverse("monitoring:overview")
    if scope.is_school_admin:
        return reverse("school_workspace", args=[school.code])
    if user.is_superuser:
        return reverse("admin:index")
    return None
