"""«Проблемные поля»: the heat map of a year, its `.xlsx` and one school's subject.

District staff see every school of their district (a regional methodologist picks one with
`?district=CODE`); a school administrator sees their own schools' rows below the district's
and only their own schools' subjects. Everything else answers 404.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from monitoring import problem_exports, problem_pages
from monitoring.context import district_for, district_query, year_links
from profdev.audit import log_export
from profdev.context_processors import page_school_or_404
from profdev.downloads import XLSX, attachment
from profdev.models import District, School, Subject
from profdev.scoping import scope_for


def _visible(request: HttpRequest) -> tuple[District, list[School]]:
    """The district of the page and the schools whose rows the user sees in it."""
    scope = scope_for(request.user)
    if scope.is_district_staff:
        district = district_for(request)
        return district, list(School.objects.filter(district=district))
    if not scope.is_school_admin:
        raise Http404
    districts = scope.districts().order_by("name")
    if code := request.GET.get("district"):
        districts = districts.filter(code=code)
    district = districts.first()
    if district is None:
        raise Http404
    return district, list(scope.schools().filter(district=district))


def _heat_map(request: HttpRequest, year: int | None) -> problem_pages.HeatMap:
    district, schools = _visible(request)
    return problem_pages.heat_map(
        district, year, schools, link_query=district_query(request, district)
    )


@login_required
def problems(request: HttpRequest, year: int | None = None) -> HttpResponse:
    page = _heat_map(request, year)
    dq = district_query(request, page.district)
    return render(
        request,
        "monitoring/problems.html",
        {
            "page": page,
            "years": page,  # the tabs' year (`years.year`)
            "dq": dq,
            "tab": "problems",
            "year_links": year_links(page.years, page.year, "monitoring:problems", query=dq),
            "export_url": reverse("monitoring:problems_export", args=[page.year]) + dq,
            "heat_steps": problem_pages.HEAT_STEPS,
        },
    )


@login_required
def problems_export(request: HttpRequest, year: int) -> HttpResponse:
    page = _heat_map(request, year)
    scope = scope_for(request.user)
    whom = "все ОО" if scope.is_district_staff else "своя ОО"
    school = page.rows[0].school if len(page.rows) == 1 and not scope.is_district_staff else None
    log_export(
        request.user, f"проблемные поля {page.label}: {page.district}, {whom}", school=school
    )
    return attachment(
        problem_exports.heat_map_workbook(page),
        f"problems-{page.district.code}-{page.year}.xlsx",
        XLSX,
    )


@login_required
def problem(request: HttpRequest, year: int, code: str, subject: str) -> HttpResponse:
    school = page_school_or_404(request, code)
    if subject not in Subject.values:
        raise Http404
    page = problem_pages.drill(school, subject, year)
    dq = district_query(request, school.district)
    return render(
        request,
        "monitoring/problem.html",
        {
            "page": page,
            "school": school,  # the navigation's current school
            "years": page.heat,
            "dq": dq,
            "year_links": year_links(
                page.heat.years, year, "monitoring:problem", code, subject, query=dq
            ),
        },
    )
