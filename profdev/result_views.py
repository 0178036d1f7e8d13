"""A school's students' results (results.md), one academic year per page: the table a deputy
head fills in on one screen, rows of procedure × subject × grade, saved all or nothing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from profdev import selectors, services
from profdev.context_processors import page_school_or_404
from profdev.facts import academic_year, academic_year_label
from profdev.models import School
from profdev.result_forms import ADDED_ROWS, SHEET, ResultFormSet
from profdev.scoping import scope_for
from profdev.views import may

PREFIX = "results"
MORE = "more"  # the button «Добавить строки»: more empty rows, nothing saved
YEARS_SHOWN = 5  # the years offered besides those with results: the last ones


def _school_or_404(request: HttpRequest, code: str) -> School:
    school = page_school_or_404(request, code)
    if not may(scope_for(request.user), SHEET, "update"):
        raise Http404
    return school


@login_required
def school_results(request: HttpRequest, code: str) -> HttpResponse:
    """The latest year with results (or the last academic year that has ended)."""
    school = _school_or_404(request, code)
    years = selectors.result_years(school)
    year = years[0] if years else academic_year(timezone.localdate()) - 1
    return redirect("school_results_year", code=school.code, year=year)


@login_required
def school_results_year(request: HttpRequest, code: str, year: int) -> HttpResponse:
    school = _school_or_404(request, code)
    data = request.POST if request.method == "POST" else None
    if data is not None and MORE in data:
        data = data.copy()
        total = f"{PREFIX}-TOTAL_FORMS"
        data[total] = str(int(data.get(total) or 0) + ADDED_ROWS)
    results = selectors.school_results(school, year)
    formset = ResultFormSet(data, records=results, prefix=PREFIX)
    saving = data is not None and MORE not in data
    refused = []  # a row's key taken meanwhile (by another user, or a swap of two rows)
    if saving and formset.is_valid():
        try:
            services.results_save(
                school=school, year=year, changes=formset.changes(), user=request.user
            )
        except ValidationError as exc:
            refused = exc.messages
        else:
            messages.success(request, f"Результаты {academic_year_label(year)} сохранены.")
            return redirect(request.path)
    today_year = academic_year(timezone.localdate())
    shown = range(today_year, today_year - YEARS_SHOWN, -1)
    stored_years = selectors.result_years(school)
    return render(
        request,
        "profdev/school_results.html",
        {
            "school": school,
            "year": year,
            "year_label": academic_year_label(year),
            "years": sorted({*stored_years, *shown, year}, reverse=True),
            "formset": formset,
            "saving": saving,
            "refused": refused,
            "more": MORE,
            "history": selectors.results_history(school),
        },
    )
