"""Measures and the effectiveness reports: district staff of the district only (a regional
methodologist picks one with `?district=CODE`); everyone else gets 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from effectiveness import exports, selectors, services
from effectiveness.analytical.document import analysis_of, office_of, render_analytical
from effectiveness.forms import AnalyticalReportForm, MeasureFilterForm, MeasureForm
from effectiveness.models import Measure
from effectiveness.report import Report, Verdict, effectiveness_report, letters_section
from monitoring.context import Years, district_for, district_query, years_of
from profdev.audit import log_export
from profdev.downloads import PDF, XLSX, attachment
from profdev.facts import academic_year, academic_year_label
from profdev.pdf import render_pdf
from recommendations.pdf import executor_name
from recommendations.text import initials_surname

LETTERS_PAGE_SIZE = 25  # letters on a page of the report's section 1
MEASURES_PAGE_SIZE = 25


def _measure_years(district) -> list[int]:
    months = Measure.objects.filter(district=district).dates("date", "month", order="DESC")
    return list(dict.fromkeys(academic_year(d) for d in months))


@login_required
def measure_list(request: HttpRequest) -> HttpResponse:
    district = district_for(request)
    form = MeasureFilterForm(request.GET or None, district=district, years=_measure_years(district))
    filters = (
        {k: v for k, v in form.cleaned_data.items() if v not in ("", None)}
        if form.is_valid()
        else {}
    )
    page = Paginator(selectors.measures(district, **filters), MEASURES_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "effectiveness/measure_list.html",
        {
            "district": district,
            "form": form,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "dq": district_query(request, district),
        },
    )


def _measure_form(request: HttpRequest, measure: Measure | None) -> HttpResponse:
    district = measure.district if measure else district_for(request)
    form = MeasureForm(request.POST or None, instance=measure, district=district)
    dq = district_query(request, district)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {name: data[name] for name in services.SCALAR_FIELDS}
        related = {"indicators": list(data["indicators"]), "schools": list(data["schools"])}
        try:
            if measure is None:
                measure = services.measure_create(
                    district=district, user=request.user, **related, **fields
                )
            else:
                measure = services.measure_update(measure=measure, **related, **fields)
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, f"Мероприятие «{measure.title}» сохранено.")
            return redirect(reverse("effectiveness:measures") + dq)
    title = "новое мероприятие" if measure is None else f"мероприятие «{measure.title}»"
    return render(
        request,
        "effectiveness/measure_form.html",
        {
            "form": form,
            "title": title,
            "measure": measure,
            "people": selectors.measure_people(measure) if measure else [],
            "dq": dq,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def measure_create(request: HttpRequest) -> HttpResponse:
    return _measure_form(request, None)


@login_required
def measure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _measure_form(request, selectors.measure_or_404(district_for(request), pk))


@login_required
def measure_delete(request: HttpRequest, pk: int) -> HttpResponse:
    district = district_for(request)
    measure = selectors.measure_or_404(district, pk)
    dq = district_query(request, district)
    if request.method == "POST":
        services.measure_delete(measure=measure)
        messages.success(request, f"Мероприятие «{measure.title}» удалено.")
        return redirect(reverse("effectiveness:measures") + dq)
    return render(
        request, "effectiveness/measure_confirm_delete.html", {"measure": measure, "dq": dq}
    )


def _report(request: HttpRequest, year: int | None) -> tuple[Report, Years]:
    district = district_for(request)
    years = years_of(district, year)
    return effectiveness_report(district, years.year), years


@login_required
def report(request: HttpRequest, year: int | None = None) -> HttpResponse:
    result, years = _report(request, year)
    dq = district_query(request, result.district)
    return render(
        request,
        "effectiveness/report.html",
        {
            "report": result,
            "fills": Verdict.FILLS,
            "dq": dq,
            "year_links": years.links("effectiveness:report", query=dq),
        },
    )


@login_required
def report_letters(request: HttpRequest, year: int) -> HttpResponse:
    """Section 1 of the report in full: each signed letter of the year before with the
    findings it cited, their values then and now and the school's response, a page of
    letters at a time (a district's 300 letters cite some five thousand findings); `letter`
    shows one letter alone (the links of the report's brief table)."""
    district = district_for(request)
    years = years_of(district, year)
    result = letters_section(district, years.year)
    dq = district_query(request, district)
    letters = result.letters
    chosen = request.GET.get("letter", "")
    if chosen:
        letters = [o for o in letters if str(o.letter.pk) == chosen]
        if not letters:
            raise Http404
    page = Paginator(letters, LETTERS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "effectiveness/report_letters_page.html",
        {
            "report": result,
            "letters": result.outcomes(page.object_list),
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "chosen": bool(chosen),
            "dq": dq,
            "year_links": years.links("effectiveness:report_letters", query=dq),
        },
    )


@login_required
def report_export(request: HttpRequest, year: int) -> HttpResponse:
    result, _ = _report(request, year)
    log_export(request.user, f"эффективность мер {result.label}: {result.district}")
    return attachment(
        exports.report_workbook(result), f"effectiveness-{result.district.code}-{year}.xlsx", XLSX
    )


def _requisites_missing(request: HttpRequest, error: ValidationError, district, year: int):
    messages.error(request, " ".join(error.messages))
    return redirect(
        reverse("effectiveness:report", args=[year]) + district_query(request, district)
    )


@login_required
def report_pdf(request: HttpRequest, year: int) -> HttpResponse:
    """The effectiveness report as an A4 document of the district's office: letterhead, date,
    text, the head's signature block and the user as the executor."""
    result, _ = _report(request, year)
    try:
        organisation = office_of(result.district)
    except ValidationError as error:
        return _requisites_missing(request, error, result.district, year)
    data = render_pdf(
        "effectiveness/report_pdf.html",
        {
            "report": result,
            "outcomes": result.outcomes(),
            "organisation": organisation,
            "date": timezone.localdate(),
            "signer_position": organisation.head_position,
            "signer": initials_surname(organisation.head_name),
            "executor_name": executor_name(request.user),
        },
    )
    log_export(request.user, f"отчёт об эффективности мер {result.label}: {result.district}")
    return attachment(data, f"effectiveness-{result.district.code}-{year}.pdf", PDF)


@login_required
def analytical_pdf(request: HttpRequest, year: int) -> HttpResponse:
    """The issued report as it was issued; before that a draft («ПРОЕКТ») with the text as
    last saved, or as generated when nobody has edited it yet."""
    district = district_for(request)
    data = selectors.issued_pdf(district, year)
    if data is None:
        try:
            organisation = office_of(district)
        except ValidationError as error:
            return _requisites_missing(request, error, district, year)
        analysis = analysis_of(district, year)
        saved = selectors.analytical_report(district, year)
        data = render_analytical(
            analysis,
            organisation=organisation,
            conclusions=saved.conclusions if saved else analysis.conclusions(),
            recommendations=saved.recommendations if saved else analysis.recommendations(),
            executor=executor_name(request.user),
            date=timezone.localdate(),
            draft=True,
        )
    log_export(request.user, f"аналитическая справка {academic_year_label(year)}: {district}")
    return attachment(data, f"analytical-{district.code}-{year}.pdf", PDF)


ACTIONS = {"save": services.analytical_report_save, "issue": services.analytical_report_issue}
DONE = {
    services.analytical_report_save: "Текст аналитической справки за {label} учебный год сохранён.",
    services.analytical_report_issue: "Аналитическая справка за {label} учебный год выпущена.",
}


@login_required
def analytical_edit(request: HttpRequest, year: int) -> HttpResponse:
    """The conclusions and recommendations of the year's report, edited until it is issued."""
    district = district_for(request)
    saved = selectors.analytical_report(district, year)
    dq = district_query(request, district)
    if saved is None:
        analysis = analysis_of(district, year)
        initial = {
            "conclusions": analysis.conclusions(),
            "recommendations": analysis.recommendations(),
        }
    else:
        initial = {"conclusions": saved.conclusions, "recommendations": saved.recommendations}
    form = AnalyticalReportForm(request.POST or None, initial=initial)
    action = ACTIONS.get(request.POST.get("action", ""))
    if request.method == "POST" and saved is not None and saved.issued:
        form.add_error(None, services.issued_refusal(saved))
    elif request.method == "POST" and action is None:
        form.add_error(None, "Неизвестное действие: нажмите «Сохранить» или «Выпустить справку».")
    elif request.method == "POST" and form.is_valid():
        try:
            action(district=district, year=year, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, DONE[action].format(label=academic_year_label(year)))
            return redirect(reverse("effectiveness:analytical_edit", args=[year]) + dq)
    return render(
        request,
        "effectiveness/analytical_edit.html",
        {
            "form": form,
            "saved": saved,
            "year": year,
            "label": academic_year_label(year),
            "district": district,
            "dq": dq,
        },
        status=400 if form.is_bound and form.errors else 200,
    )
