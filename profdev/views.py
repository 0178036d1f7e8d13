from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from profdev.scoping import scope_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role lands where its work is."""
    scope = scope_for(request.user)
    if scope.is_district_staff:
        return redirect(_district_landing())
    if scope.is_school_admin:
        school = scope.schools().order_by("code").first()
        return redirect("school_workspace", code=school.code)
    if request.user.is_superuser:
        return redirect("admin:index")
    return render(request, "profdev/no_role.html")


def _district_landing() -> str:
    try:
        return reverse("monitoring:overview")
    except Exception:
        return reverse("admin:index")


@login_required
def school_workspace(request: HttpRequest, code: str) -> HttpResponse:
    school = scope_for(request.user).school_or_404(code)
    return render(request, "profdev/school_workspace.html", {"school": school})
