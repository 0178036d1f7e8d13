"""Dashboards over the stored official values; they never recompute on page load.

District pages are for district staff of the district (a regional methodologist picks one
with `?district=CODE`); a school page is also open to the school's administrator.
Everything else answers 404.
"""

from dataclasses import asdict
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from monitoring import deficits, exports, problem_pages, region, services, tables
from monitoring.context import district_for, district_query, shown_year, year_links, years_of
from monitoring.failures import Limits, limits_for
from monitoring.forms import BasisForm, ComputeForm, OverviewForm, ProblemLimitsForm, TargetForm
from monitoring.jobs import compute_all_districts, compute_district
from monitoring.models import Indicator, MonitoringYear, ProblemLimitsChange, TargetChange
from monitoring.reports import providers_report
from profdev.audit import log_export
from profdev.context_processors import page_school_or_404
from profdev.downloads import XLSX, attachment
from profdev.facts import academic_year_label
from profdev.jobs import job_url
from profdev.models import District
from profdev.scoping import scope_for
from profdev.sorting import query_string, sort_headers


def _overview(request: HttpRequest, year: int | None) -> tables.Overview:
    district = district_for(request)
    options = OverviewForm(request.GET).options()
    return tables.overview(district, year, **options, link_query=district_query(request, district))


@login_required
def overview(request: HttpRequest, year: int | None = None) -> HttpResponse:
    page = _overview(request, year)
    year = page.years.year
    dq = district_query(request, page.district)
    school_header, *headers = sort_headers(
        request.GET,
        [("school", "ОО"), *((i.code, i.short_name) for i in page.table.indicators)],
        sort=page.sort,
        descending=page.descending,
        direction=OverviewForm.DIRECTION,
    )
    return render(
        request,
        "monitoring/overview.html",
        {
            "page": page,
            "years": page.years,
            "school_header": school_header,
            "columns": list(zip(page.table.indicators, headers, strict=True)),
            "delta_url": query_string(request.GET, delta=None if page.previous_year else "1"),
            "export_url": reverse("monitoring:overview_export", args=[year])
            + query_string(request.GET),
            "legend": tables.legend(),
            "dq": dq,
            "tab": "overview",
            "year_links": page.years.links("monitoring:overview", query=dq),
        },
    )


@login_required
def overview_export(request: HttpRequest, year: int) -> HttpResponse:
    page = _overview(request, year)
    log_export(request.user, f"мониторинг {page.years.label}: {page.district}, все ОО")
    return attachment(
        exports.overview_workbook(page), f"monitoring-{page.district.code}-{year}.xlsx", XLSX
    )


@login_required
def school(request: HttpRequest, code: str, year: int | None = None) -> HttpResponse:
    page = tables.school_page(page_school_or_404(request, code), year)
    return render(
        request,
        "monitoring/school.html",
        {
            "page": page,
            "school": page.school,  # the navigation's current school
            "years": page.years,
            "missing": tables.missing_people(page),
            "problems": problem_pages.school_problems(page.school, page.years.shown),
            "legend": tables.legend(),
            "dq": district_query(request, page.district),
            "year_links": page.years.links("monitoring:school", page.school.code),
        },
    )


@login_required
def school_export(request: HttpRequest, year: int, code: str) -> HttpResponse:
    page = tables.school_page(scope_for(request.user).school_or_404(code), year)
    log_export(request.user, f"мониторинг {page.years.label}: ОО", school=page.school)
    return attachment(exports.school_workbook(page), f"monitoring-{code}-{year}.xlsx", XLSX)


@login_required
def indicator(request: HttpRequest, year: int, code: str) -> HttpResponse:
    district = district_for(request)
    dq = district_query(request, district)
    indicator = get_object_or_404(Indicator, code=code)
    page = tables.indicator_page(district, indicator, year, link_query=dq)
    return render(
        request,
        "monitoring/indicator.html",
        {
            "page": page,
            "years": page.years,
            "legend": tables.legend(indicator),
            "dq": dq,
            "year_links": page.years.links("monitoring:indicator", code, query=dq),
        },
    )


def _providers(request: HttpRequest, year: int):
    district = district_for(request)
    return providers_report(district, year, three_years=request.GET.get("window") == "3y")


@login_required
def providers(request: HttpRequest, year: int) -> HttpResponse:
    report = _providers(request, year)
    dq = district_query(request, report.district)
    years = years_of(report.district, year)
    return render(
        request,
        "monitoring/providers.html",
        {
            "report": report,
            "closure": deficits.closure(
                report.district,
                deficits.period_of(report.district, year),
                deficits.component_topics(report.district),
            ),
            "years": years,
            "dq": dq,
            "period_url": query_string(request.GET, window=None),
            "window_url": query_string(request.GET, window="3y"),
            "export_url": reverse("monitoring:providers_export", args=[year])
            + query_string(request.GET),
            "tab": "providers",
            "year_links": years.links("monitoring:providers", query=dq),
        },
    )


@login_required
def providers_export(request: HttpRequest, year: int) -> HttpResponse:
    report = _providers(request, year)
    log_export(request.user, f"отчёт об организациях ДПО {report.label}: {report.district}")
    return attachment(
        exports.providers_workbook(report), f"providers-{report.district.code}-{year}.xlsx", XLSX
    )


def _form_errors(request: HttpRequest, form) -> None:
    """A form posted from the targets page reports its errors as messages there."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.error(request, f"{label.capitalize()}: {error}" if label else error)


@login_required
def targets(request: HttpRequest, year: int) -> HttpResponse:
    district = district_for(request)
    form = TargetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        indicator = form.cleaned_data["indicator"]
        try:
            services.set_target(
                district=district,
                year=year,
                indicator=indicator,
                value=form.cleaned_data["value"],
                user=request.user,
            )
        except ValidationError as error:
            form.add_error("value", error)
        else:
            messages.success(request, f"Целевое значение «{indicator.short_name}» сохранено.")
            return redirect(reverse("monitoring:targets", args=[year]) + query_string(request.GET))
    monitoring_year = MonitoringYear.objects.filter(district=district, year=year).first()
    years = years_of(district, year)
    dq = district_query(request, district)
    return render(
        request,
        "monitoring/targets.html",
        {
            "district": district,
            "years": years,
            "monitoring_year": monitoring_year,  # computed or not
            "rows": tables.target_rows(
                district,
                year,
                posted=form.data.get("indicator"),
                value=form.data.get("value"),
                errors=form.errors.get("value", []),
            ),
            "form_errors": form.non_field_errors() + form.errors.get("indicator", []),
            "history": TargetChange.objects.filter(district=district, year=year).select_related(
                "indicator", "user"
            ),
            "basis_form": BasisForm.of(monitoring_year),
            "limits_form": ProblemLimitsForm(
                initial=asdict(limits_for(Q(pk=district.pk), year).get(district.pk, Limits()))
            ),
            "limits_history": ProblemLimitsChange.objects.filter(
                district=district, year=year
            ).select_related("user"),
            "compute_form": ComputeForm.of(year, monitoring_year),
            "dq": dq,
            "tab": "targets",
            "year_links": years.links("monitoring:targets", query=dq),
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def problem_limits(request: HttpRequest, year: int) -> HttpResponse:
    district = district_for(request)
    form = ProblemLimitsForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            changes = services.set_problem_limits(
                district=district, year=year, **form.cleaned_data, user=request.user
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            if changes:
                messages.success(
                    request,
                    "Пороги проблемных полей сохранены; они войдут в проблемные поля при "
                    "следующем расчёте года.",
                )
            else:
                messages.info(request, "Пороги проблемных полей не изменились.")
    return redirect(reverse("monitoring:targets", args=[year]) + query_string(request.GET))


@login_required
@require_POST
def basis(request: HttpRequest, year: int) -> HttpResponse:
    district = district_for(request)
    monitoring_year = get_object_or_404(MonitoringYear, district=district, year=year)
    form = BasisForm(request.POST)
    if form.is_valid():
        services.monitoring_year_update(monitoring_year, **form.cleaned_data)
        messages.success(request, f"Основание мониторинга {monitoring_year.label} сохранено.")
    else:
        _form_errors(request, form)
    return redirect(reverse("monitoring:targets", args=[year]) + query_string(request.GET))


@login_required
@require_POST
def compute(request: HttpRequest, year: int) -> HttpResponse:
    district = district_for(request)
    form = ComputeForm(request.POST, year=year)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(reverse("monitoring:targets", args=[year]) + query_string(request.GET))
    reference_date = form.cleaned_data["reference_date"]
    job = compute_district.enqueue(
        user=request.user,
        district=district,
        label=f"{district}, {academic_year_label(year)}",
        district_id=district.pk,
        year=year,
        reference_date=reference_date.isoformat(),
    )
    return redirect(job_url(job))


def _require_regional(request: HttpRequest) -> None:
    if not scope_for(request.user).is_regional:
        raise Http404


@login_required
def region_overview(request: HttpRequest, year: int | None = None) -> HttpResponse:
    """Districts × indicators for the regional methodologist, below the pooled region."""
    _require_regional(request)
    years = region.region_years()
    year = shown_year(year, years)
    indicators = tables.catalogue()
    districts = list(District.objects.order_by("name"))
    values = region.region_values(year, districts, indicators)
    overview_url = reverse("monitoring:overview", args=[year])
    table = tables.values_table(
        "Регион",
        districts,
        indicators,
        values,
        url=lambda district: f"{overview_url}?{urlencode({'district': district.code})}",
    )
    return render(
        request,
        "monitoring/region.html",
        {
            "year": year,
            "label": academic_year_label(year),
            "computed": bool(values),
            "table": table,
            "legend": tables.legend(),
            "year_links": year_links(years, year, "monitoring:region"),
        },
    )


@login_required
@require_POST
def region_compute(request: HttpRequest, year: int) -> HttpResponse:
    _require_regional(request)
    job = compute_all_districts.enqueue(
        user=request.user, label=academic_year_label(year), year=year
    )
    return redirect(job_url(job))
