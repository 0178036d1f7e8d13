"""Dashboards over the stored official values; they never recompute on page load.

District pages are for district staff of the district (a regional methodologist picks one
with `?district=CODE`); a school page is also open to the school's administrator.
Everything else answers 404.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from monitoring import exports, region, selectors, services, tables
from monitoring.context import district_for, district_query
from monitoring.forms import BasisForm, ComputeForm, TargetForm
from monitoring.jobs import compute_all_districts, compute_district
from monitoring.models import BREACH_STATUSES, Indicator, MonitoringYear, TargetChange
from monitoring.reports import providers_report
from profdev.audit import log_export
from profdev.downloads import XLSX, attachment
from profdev.facts import Period, academic_year
from profdev.jobs import job_url
from profdev.models import District, School
from profdev.scoping import scope_for


def _years(district: District) -> list[MonitoringYear]:
    return list(selectors.years_on_record(district))


def _pick_year(years: list[MonitoringYear], year: int | None) -> tuple[int, MonitoringYear | None]:
    if year is None:
        year = years[0].year if years else academic_year(timezone.localdate())
    return year, next((m for m in years if m.year == year), None)


def _year_links(years: list[MonitoringYear], year: int, url_name: str, *args, query="") -> list:
    return [
        {
            "label": m.label,
            "url": reverse(url_name, args=[m.year, *args]) + query,
            "active": m.year == year,
        }
        for m in years
    ]


def _query(request: HttpRequest, **changes) -> str:
    """The current query string with some parameters changed (None removes one)."""
    params = request.GET.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value is not None:
            params[key] = value
    return f"?{params.urlencode()}" if params else ""


def _overview_table(request: HttpRequest, district: District, year: int | None):
    years = _years(district)
    year, monitoring_year = _pick_year(years, year)
    indicators = list(Indicator.objects.all())
    groups = list(dict.fromkeys(i.group for i in indicators))
    group = request.GET.get("group")
    if group in groups:
        indicators = [i for i in indicators if i.group == group]
    previous_year = None
    if request.GET.get("delta") == "1":
        previous_year = next((m for m in years if m.year < year), None)
    sort = request.GET.get("sort", "")
    descending = request.GET.get("order") == "desc"
    schools = list(School.objects.filter(district=district).order_by("code"))
    rows = tables.overview_rows(
        district,
        schools,
        indicators,
        tables.year_values(monitoring_year),
        tables.year_values(previous_year),
        sort=sort,
        descending=descending,
    )
    return {
        "district": district,
        "years": years,
        "year": year,
        "label": f"{year}/{year + 1}",
        "monitoring_year": monitoring_year,
        "previous_year": previous_year,
        "indicators": indicators,
        "groups": groups,
        "group": group if group in groups else "",
        "sort": sort,
        "descending": descending,
        "rows": rows,
    }


@login_required
def overview(request: HttpRequest, year: int | None = None) -> HttpResponse:
    district = district_for(request)
    context = _overview_table(request, district, year)
    year = context["year"]
    sort, descending = context["sort"], context["descending"]

    def sort_link(column: str) -> str:
        flip = "asc" if sort == column and descending else "desc"
        return _query(request, sort=column, order=flip if sort == column else "asc")

    dq = district_query(request, district)
    school_url = reverse("monitoring:school", args=[year, "CODE"]).replace("CODE/", "")
    indicator_url = reverse("monitoring:indicator", args=[year, "CODE"]).replace("CODE/", "")
    for row in context["rows"][1:]:
        row["url"] = f"{school_url}{row['school'].code}/{dq}"
    context["columns"] = [
        {
            "indicator": i,
            "url": f"{indicator_url}{i.code}/{dq}",
            "sort_url": sort_link(i.code),
            "aria_sort": _aria_sort(sort == i.code, descending),
            "arrow": ("▼" if descending else "▲") if sort == i.code else "↕",
        }
        for i in context["indicators"]
    ]
    context |= {
        "header_groups": tables.indicator_groups(context["indicators"]),
        "school_sort_url": sort_link("school"),
        "delta_url": _query(request, delta=None if context["previous_year"] else "1"),
        "export_url": reverse("monitoring:overview_export", args=[year]) + _query(request),
        "legend": tables.STATUS_LABELS.items(),
        "dq": dq,
        "page": "overview",
        "year_links": _year_links(context["years"], year, "monitoring:overview", query=dq),
    }
    return render(request, "monitoring/overview.html", context)


def _aria_sort(sorted_here: bool, descending: bool) -> str:
    if not sorted_here:
        return "none"
    return "descending" if descending else "ascending"


@login_required
def overview_export(request: HttpRequest, year: int) -> HttpResponse:
    context = _overview_table(request, district_for(request), year)
    log_export(request.user, f"мониторинг {context['label']}: {context['district']}, все ОО")
    return attachment(
        exports.overview_workbook(context),
        f"monitoring-{context['district'].code}-{year}.xlsx",
        XLSX,
    )


def _trend(years: list[MonitoringYear], values: dict, school_id, indicator: Indicator) -> list:
    """The stored value of every year on record, oldest first."""
    return [
        {
            "label": m.label,
            **tables.cell(indicator, values.get((m.year, school_id, indicator.code))),
        }
        for m in reversed(years)
    ]


def _school_page(request: HttpRequest, year: int | None, code: str) -> dict:
    school = scope_for(request.user).school_or_404(code)
    district = school.district
    years = _years(district)
    year, monitoring_year = _pick_year(years, year)
    indicators = [i for i in Indicator.objects.all() if not i.district_only]
    values = tables.history_values(district, [school])
    rows = []
    for indicator in indicators:
        stored = values.get((year, school.pk, indicator.code))
        target = stored.target if stored else None
        rows.append(
            {
                "indicator": indicator,
                "stored": stored,
                "school": tables.cell(indicator, stored),
                "district": tables.cell(indicator, values.get((year, None, indicator.code))),
                "target_text": tables.format_number(target, indicator.kind),
                "trend": _trend(years, values, school.pk, indicator),
            }
        )
    return {
        "school": school,
        "district": district,
        "years": years,
        "year": year,
        "label": f"{year}/{year + 1}",
        "monitoring_year": monitoring_year,
        "rows": rows,
        "dq": district_query(request, district),
    }


@login_required
def school(request: HttpRequest, code: str, year: int | None = None) -> HttpResponse:
    context = _school_page(request, year, code)
    monitoring_year = context["monitoring_year"]
    context["year_links"] = _year_links(
        context["years"], context["year"], "monitoring:school", context["school"].code
    )
    if monitoring_year:
        rows = {r["indicator"].code: r for r in context["rows"]}
        # Names only where the stored number says someone is missing.
        codes = [
            code
            for code, r in rows.items()
            if r["stored"]
            and r["stored"].denominator
            and r["stored"].numerator < r["stored"].denominator
        ]
        context["people"] = [
            {
                **item,
                "indicator": rows[item["code"]]["indicator"],
                "cls": rows[item["code"]]["school"]["cls"],
                "open": rows[item["code"]]["school"]["status"] in BREACH_STATUSES,
            }
            for item in tables.named_people(context["school"], monitoring_year, codes)
        ]
    return render(request, "monitoring/school.html", context)


@login_required
def school_export(request: HttpRequest, year: int, code: str) -> HttpResponse:
    context = _school_page(request, year, code)
    log_export(request.user, f"мониторинг {context['label']}: ОО", school=context["school"])
    return attachment(exports.school_workbook(context), f"monitoring-{code}-{year}.xlsx", XLSX)


@login_required
def indicator(request: HttpRequest, year: int, code: str) -> HttpResponse:
    district = district_for(request)
    dq = district_query(request, district)
    indicator = get_object_or_404(Indicator, code=code)
    years = _years(district)
    year, monitoring_year = _pick_year(years, year)
    schools = list(School.objects.filter(district=district).order_by("code"))
    values = tables.history_values(district, schools, indicator)
    district_cell = tables.cell(indicator, values.get((year, None, code)))
    rows = [
        {"school": s, "cell": tables.cell(indicator, values.get((year, s.pk, code)))}
        for s in schools
    ]
    stored = values.get((year, None, code))
    target = stored.target if stored else None
    trend = _trend(years, values, None, indicator)
    chart = {
        "labels": [r["school"].short_name for r in rows],
        "values": [tables.as_float(r["cell"]["value"]) for r in rows],
        "statuses": [r["cell"]["status"] for r in rows],
        "target": tables.as_float(target),
        "unit": "%" if indicator.kind == Indicator.Kind.SHARE else "",
        "label": indicator.short_name,
    }
    trend_chart = {
        "labels": [t["label"] for t in trend],
        "values": [tables.as_float(t["value"]) for t in trend],
        "unit": chart["unit"],
        "label": str(district),
    }
    return render(
        request,
        "monitoring/indicator.html",
        {
            "district": district,
            "indicator": indicator,
            "years": years,
            "year": year,
            "label": f"{year}/{year + 1}",
            "monitoring_year": monitoring_year,
            "district_cell": district_cell,
            "target": tables.format_number(target, indicator.kind) if target is not None else "—",
            "rows": [] if indicator.district_only else rows,
            "trend": trend,
            "chart": chart,
            "trend_chart": trend_chart,
            "dq": dq,
            "year_links": _year_links(years, year, "monitoring:indicator", code, query=dq),
        },
    )


def _providers_context(request: HttpRequest, year: int) -> dict:
    district = district_for(request)
    monitoring_year = MonitoringYear.objects.filter(district=district, year=year).first()
    period = Period.of(year, monitoring_year.reference_date if monitoring_year else None)
    three_years = request.GET.get("window") == "3y"
    start = period.three_years_start if three_years else period.start
    rows, totals = providers_report(district, start, period.reference_date)
    return {
        "district": district,
        "year": year,
        "label": f"{year}/{year + 1}",
        "three_years": three_years,
        "start": start,
        "end": period.reference_date,
        "rows": rows,
        "totals": totals,
    }


@login_required
def providers(request: HttpRequest, year: int) -> HttpResponse:
    context = _providers_context(request, year)
    district = context["district"]
    dq = district_query(request, district)
    context |= {
        "dq": dq,
        "period_url": _query(request, window=None),
        "window_url": _query(request, window="3y"),
        "export_url": reverse("monitoring:providers_export", args=[year]) + _query(request),
        "page": "providers",
        "year_links": _year_links(_years(district), year, "monitoring:providers", query=dq),
    }
    return render(request, "monitoring/providers.html", context)


@login_required
def providers_export(request: HttpRequest, year: int) -> HttpResponse:
    context = _providers_context(request, year)
    log_export(request.user, f"отчёт об организациях ДПО {context['label']}: {context['district']}")
    return attachment(
        exports.providers_workbook(context),
        f"providers-{context['district'].code}-{year}.xlsx",
        XLSX,
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
            return redirect(reverse("monitoring:targets", args=[year]) + _query(request))
    monitoring_year = MonitoringYear.objects.filter(district=district, year=year).first()
    indicators = list(Indicator.objects.filter(default_target__isnull=False))
    in_force = services.targets_for(district, year, indicators)
    posted = form.data.get("indicator")
    rows = [
        {
            "indicator": i,
            "target": tables.format_number(in_force[i.code], i.kind),
            "input": form.data.get("value") if posted == i.code else in_force[i.code],
            "overridden": in_force[i.code] != i.default_target,
            "errors": form.errors.get("value") if posted == i.code else None,
        }
        for i in indicators
    ]
    reference_date = (
        monitoring_year.reference_date if monitoring_year else Period.of(year).reference_date
    )
    basis_initial = (
        {
            "basis_number": monitoring_year.basis_number,
            "basis_date": monitoring_year.basis_date,
            "basis_body": monitoring_year.basis_body,
        }
        if monitoring_year
        else {}
    )
    dq = district_query(request, district)
    return render(
        request,
        "monitoring/targets.html",
        {
            "district": district,
            "year": year,
            "label": f"{year}/{year + 1}",
            "monitoring_year": monitoring_year,
            "rows": rows,
            "form_errors": form.non_field_errors() + form.errors.get("indicator", []),
            "history": TargetChange.objects.filter(district=district, year=year).select_related(
                "indicator", "user"
            ),
            "basis_form": BasisForm(initial=basis_initial),
            "compute_form": ComputeForm(year=year, initial={"reference_date": reference_date}),
            "dq": dq,
            "page": "targets",
            "year_links": _year_links(_years(district), year, "monitoring:targets", query=dq),
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def basis(request: HttpRequest, year: int) -> HttpResponse:
    district = district_for(request)
    monitoring_year = get_object_or_404(MonitoringYear, district=district, year=year)
    form = BasisForm(request.POST)
    if form.is_valid():
        services.monitoring_year_update(monitoring_year, **form.cleaned_data)
        messages.success(request, f"Основание мониторинга {year}/{year + 1} сохранено.")
    else:
        _form_errors(request, form)
    return redirect(reverse("monitoring:targets", args=[year]) + _query(request))


@login_required
@require_POST
def compute(request: HttpRequest, year: int) -> HttpResponse:
    district = district_for(request)
    form = ComputeForm(request.POST, year=year)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(reverse("monitoring:targets", args=[year]) + _query(request))
    reference_date = form.cleaned_data["reference_date"]
    job = compute_district.enqueue(
        user=request.user,
        district=district,
        label=f"{district}, {year}/{year + 1}",
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
    """Districts × indicators for the regional methodologist, the pooled region row first."""
    _require_regional(request)
    years = region.region_years()
    if year is None:
        year = years[0] if years else academic_year(timezone.localdate())
    indicators = list(Indicator.objects.all())
    districts = list(District.objects.order_by("name"))
    values = region.region_values(year, districts, indicators)
    rows = tables.overview_rows("Регион", districts, indicators, values)
    overview_url = reverse("monitoring:overview", args=[year])
    for row in rows[1:]:
        row["url"] = f"{overview_url}?{urlencode({'district': row['school'].code})}"
    return render(
        request,
        "monitoring/region.html",
        {
            "year": year,
            "label": f"{year}/{year + 1}",
            "computed": bool(values),
            "header_groups": tables.indicator_groups(indicators),
            "indicators": indicators,
            "rows": rows,
            "legend": tables.STATUS_LABELS.items(),
            "year_links": [
                {
                    "label": f"{y}/{y + 1}",
                    "url": reverse("monitoring:region", args=[y]),
                    "active": y == year,
                }
                for y in years
            ],
        },
    )


@login_required
@require_POST
def region_compute(request: HttpRequest, year: int) -> HttpResponse:
    _require_regional(request)
    job = compute_all_districts.enqueue(user=request.user, label=f"{year}/{year + 1}", year=year)
    return redirect(job_url(job))
