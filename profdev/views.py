from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from profdev import completeness, selectors
from profdev.access_log import log_access
from profdev.forms import StaffFilterForm
from profdev.models import AccessLog
from profdev.scoping import scope_for

STAFF_PAGE_SIZE = 50
CURRENT_SCHOOL = "profdev_school"  # session key: the school last opened by the user


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role lands where its work is."""
    scope = scope_for(request.user)
    if scope.is_district_staff:
        return redirect(_district_landing())
    if scope.is_school_admin:
        schools = scope.schools().order_by("code")
        school = schools.filter(code=request.session.get(CURRENT_SCHOOL)).first() or schools.first()
        return redirect("school_workspace", code=school.code)
    if request.user.is_superuser:
        return redirect("admin:index")
    return render(request, "profdev/no_role.html")


def _district_landing() -> str:
    # The district overview belongs to the monitoring app; until it exists, the admin.
    try:
        return reverse("monitoring:overview")
    except NoReverseMatch:
        return reverse("admin:index")


@login_required
def school_workspace(request: HttpRequest, code: str) -> HttpResponse:
    school = scope_for(request.user).school_or_404(code)
    request.session[CURRENT_SCHOOL] = school.code
    today = timezone.localdate()
    return render(
        request,
        "profdev/school_workspace.html",
        {
            "school": school,
            "today": today,
            "summary": selectors.staff_summary(school, today=today),
            "completeness": completeness.school_completeness(school, today=today),
        },
    )


NARROW_HIDDEN = frozenset({"category", "workplace"})
STAFF_COLUMNS = (
    ("name", _("ФИО")),
    ("position", _("Должность")),
    ("category", _("Категория")),
    ("workplace", _("Место работы")),
    ("hired_on", _("Принят")),
    ("dismissed_on", _("Уволен")),
)


@login_required
def staff_list(request: HttpRequest, code: str) -> HttpResponse:
    school = scope_for(request.user).school_or_404(code)
    today = timezone.localdate()
    form = StaffFilterForm(request.GET, positions=selectors.school_positions(school))
    query = form.staff_query()
    rows = selectors.staff_employments(school, query, today=today)
    page = Paginator(rows, STAFF_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "profdev/staff_list.html",
        {
            "school": school,
            "today": today,
            "form": form,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "columns": _sort_headers(request, query),
        },
    )


def _sort_headers(request: HttpRequest, query: selectors.StaffQuery) -> list[dict]:
    """Column headers: a link sorting by the column (again: reversed) and its aria-sort."""
    params = request.GET.copy()
    params.pop("page", None)
    headers = []
    for key, label in STAFF_COLUMNS:
        current = key == query.sort
        params["sort"] = key
        params.pop("desc", None)
        if current and not query.descending:
            params["desc"] = "on"
        state = ("descending" if query.descending else "ascending") if current else "none"
        headers.append(
            {
                "label": label,
                "href": f"?{urlencode(params, doseq=True)}",
                "sort": state,
                # Category and workplace are filters too; narrow screens keep the rest.
                "narrow_hidden": key in NARROW_HIDDEN,
            }
        )
    return headers


@login_required
def person_card(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_for(request.user)
    person = scope.person_or_404(pk)
    log_access(user=request.user, action=AccessLog.Action.VIEW, person=person)
    return render(
        request,
        "profdev/person_card.html",
        {
            "card": selectors.person_card(person, visible_persons=scope.persons()),
            "deficit_score": settings.DEFICIT_SCORE,
        },
    )
