"""Where each user starts: the home page sends them there, `load_demo` lists it."""

from django.urls import reverse

from profdev.scoping import scope_for


def landing_url(user, school_code: str | None = None) -> str | None:
    """District staff: the district overview; a school administrator: their school's workspace
    (`school_code`, the school last opened, if it is theirs); the IT administrator: the admin.
    None for a user without a role."""
    scope = scope_for(user)
    if scope.is_district_staff:
        return reverse("monitoring:overview")
    if scope.is_school_admin:
        schools = scope.schools().order_by("code")
        school = schools.filter(code=school_code).first() or schools.first()
        return reverse("school_workspace", args=[school.code])
    if user.is_superuser:
        return reverse("admin:index")
    return None
