"""The deficit map, its cells' people, the target groups (with routes for them) and the
mapping of components to topics.

District staff read their district; a school administrator reads the map, the cells and the
groups of their own schools only (never another school's people); acting on a group and
editing the mapping are for district staff. Anyone else gets 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from deficits import exports, selectors, services
from deficits.forms import EnrolForm, GroupFilterForm, OrderLineForm, RoutesForm, TopicsForm
from deficits.letter import order_letter_draft
from deficits.models import CourseOrder, CourseOrderLine
from effectiveness.services import measure_enrol
from monitoring.context import district_for, district_query, years_of
from monitoring.deficits import LABELS, component_topics
from monitoring.models import ComponentTopicsChange, MonitoringYear
from profdev.audit import log_export
from profdev.downloads import XLSX, attachment
from profdev.facts import academic_year_label
from profdev.models import Provider
from profdev.sorting import query_string

GROUPS_PAGE_SIZE = 100


def _query(request: HttpRequest, where: selectors.Where) -> str:
    return district_query(request, where.district)


@login_required
def deficit_map(request: HttpRequest, year: int | None = None) -> HttpResponse:
    where = selectors.where_for(request)
    dq = _query(request, where)
    page = selectors.deficit_map(where, year, dq)
    year = page.years.year
    return render(
        request,
        "deficits/map.html",
        {
            "page": page,
            "years": page.years,
            "dq": dq,
            "export_url": reverse("deficits:map_export", args=[year]) + dq,
            "groups_url": reverse("deficits:groups", args=[year]) + dq,
            "year_links": page.years.links("deficits:map", query=dq),
        },
    )


@login_required
def map_export(request: HttpRequest, year: int) -> HttpResponse:
    where = selectors.where_for(request)
    page = selectors.deficit_map(where, year)
    school = None if where.staff else where.schools[0] if len(where.schools) == 1 else None
    log_export(request.user, f"карта дефицитов {page.years.label}: {where.district}", school=school)
    return attachment(
        exports.map_workbook(page), f"deficits-{where.district.code}-{year}.xlsx", XLSX
    )


@login_required
def cell(request: HttpRequest, year: int, code: str, component: str) -> HttpResponse:
    where = selectors.where_for(request)
    school = where.school_or_404(code)
    if component not in LABELS:
        raise Http404
    monitoring_year = get_object_or_404(
        MonitoringYear, district=where.district, year=year, computed_at__isnull=False
    )
    dq = _query(request, where)
    return render(
        request,
        "deficits/cell.html",
        {
            "school": school,
            "monitoring_year": monitoring_year,
            "component": LABELS[component],
            "findings": selectors.cell_people(monitoring_year, school, component),
            "map_url": reverse("deficits:map", args=[year]) + dq,
        },
    )


def _groups(request: HttpRequest, year: int):
    where = selectors.where_for(request)
    filters = GroupFilterForm(request.GET, schools=where.schools)
    return where, filters, selectors.groups(where, year, **filters.options())


def _groups_page(
    request, year, where, filters, groups, routes_form, enrol_form=None
) -> HttpResponse:
    """The groups a page at a time (they may be thousands of people); the filters and the
    page travel in the links, the forms' actions and the export (which gives everyone)."""
    dq = _query(request, where)
    members = [m.person.pk for m in groups.members]
    shown = Paginator(groups.members, GROUPS_PAGE_SIZE).get_page(request.GET.get("page"))
    if where.staff and enrol_form is None:
        enrol_form = EnrolForm(members=members, district=where.district)
    return render(
        request,
        "deficits/groups.html",
        {
            "where": where,
            "groups": groups,
            "page": shown,
            "page_range": shown.paginator.get_elided_page_range(shown.number),
            "filters": filters,
            "routes_form": routes_form,
            "enrol_form": enrol_form,
            "year": year,
            "dq": dq,
            "map_url": reverse("deficits:map", args=[year]) + dq,
            "export_url": reverse("deficits:groups_export", args=[year])
            + query_string(request.GET, page=None),
            "routes_url": reverse("deficits:groups_routes", args=[year])
            + query_string(request.GET),
            "enrol_url": reverse("deficits:groups_enrol", args=[year]) + query_string(request.GET),
        },
        status=400
        if (routes_form and routes_form.errors) or (enrol_form and enrol_form.errors)
        else 200,
    )


@login_required
def groups(request: HttpRequest, year: int) -> HttpResponse:
    where, filters, found = _groups(request, year)
    form = RoutesForm(members=[m.person.pk for m in found.members]) if where.staff else None
    return _groups_page(request, year, where, filters, found, form)


@login_required
def groups_export(request: HttpRequest, year: int) -> HttpResponse:
    where, _, found = _groups(request, year)
    school = None if where.staff else where.schools[0] if len(where.schools) == 1 else None
    log_export(
        request.user, f"целевые группы {academic_year_label(year)}: {where.district}", school=school
    )
    return attachment(
        exports.groups_workbook(found), f"groups-{where.district.code}-{year}.xlsx", XLSX
    )


@login_required
@require_POST
def groups_routes(request: HttpRequest, year: int) -> HttpResponse:
    where, filters, found = _groups(request, year)
    if not where.staff:
        raise Http404
    members = [m.person.pk for m in found.members]
    form = RoutesForm(request.POST, members=members)
    if not form.is_valid():
        return _groups_page(request, year, where, filters, found, form)
    chosen = set(form.cleaned_data["person"])
    persons: dict = {}  # each ticked person → the components of the groups they are in
    for m in found.members:
        if m.person.pk in chosen:
            persons.setdefault(m.person, []).append(m.component)
    done = services.routes_create(
        persons=persons,
        started_on=form.cleaned_data["started_on"],
        curator=form.cleaned_data["curator"],
        user=request.user,
    )
    messages.success(
        request,
        f"ИОМ созданы: {done.created}; пропущены (уже есть действующий ИОМ): {done.skipped}.",
    )
    return redirect(reverse("deficits:groups", args=[year]) + query_string(request.GET))


@login_required
@require_POST
def groups_enrol(request: HttpRequest, year: int) -> HttpResponse:
    where, filters, found = _groups(request, year)
    if not where.staff:
        raise Http404
    members = [m.person.pk for m in found.members]
    form = EnrolForm(request.POST, members=members, district=where.district)
    if form.is_valid():
        chosen = set(form.cleaned_data["person"])
        persons = list({m.person for m in found.members if m.person.pk in chosen})
        measure = form.cleaned_data["measure"]
        try:
            added = measure_enrol(measure=measure, persons=persons, user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"Записаны на мероприятие «{measure.title}»: {added}; "
                f"уже были записаны: {len(persons) - added}.",
            )
            return redirect(reverse("deficits:groups", args=[year]) + query_string(request.GET))
    return _groups_page(request, year, where, filters, found, RoutesForm(members=members), form)


@login_required
def topics(request: HttpRequest) -> HttpResponse:
    district = district_for(request)
    form = TopicsForm(request.POST or None, mapping=component_topics(district))
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.mapping_update(
                district=district, topics=form.topics(), user=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if changed:
                messages.success(request, "Тематика компонентов сохранена.")
            else:
                messages.info(request, "Изменений нет.")
            return redirect(reverse("deficits:topics") + district_query(request, district))
    history = ComponentTopicsChange.objects.filter(district=district).select_related("user")
    return render(
        request,
        "deficits/topics.html",
        {
            "district": district,
            "year": years_of(district, None).year,
            "dq": district_query(request, district),
            "tab": "topics",
            "form": form,
            "history": [
                (
                    change,
                    LABELS[change.component],
                    selectors.topics_text(change.old_topics),
                    selectors.topics_text(change.new_topics),
                )
                for change in history
            ],
        },
    )


# --- The course order --------------------------------------------------------------------------


def _order_page(request, district, year: int, posted=None) -> HttpResponse:
    page = selectors.course_order(district, year)
    forms = [
        posted
        if posted is not None and posted.instance.pk == line.pk
        else OrderLineForm(instance=line, prefix=line.key)
        for line in page.lines
    ]
    dq = district_query(request, district)
    return render(
        request,
        "deficits/order.html",
        {
            "district": district,
            "page": page,
            "lines": list(zip(page.lines, forms, strict=True)),
            "components": [line.label for line in page.lines],
            "year": year,
            "next_label": academic_year_label(year + 1),
            "dq": dq,
            "tab": "order",
            "export_url": reverse("deficits:order_export", args=[year]) + dq,
        },
        status=400 if posted is not None else 200,
    )


@login_required
def order(request: HttpRequest, year: int) -> HttpResponse:
    district = district_for(request)
    if request.method == "POST":
        services.order_build(district=district, year=year, user=request.user)
        messages.success(request, "План-заказ сформирован по целевым группам.")
        return redirect(reverse("deficits:order", args=[year]) + district_query(request, district))
    return _order_page(request, district, year)


@login_required
@require_POST
def order_problem_lines(request: HttpRequest, year: int) -> HttpResponse:
    """A line per problem field's subject of the year, added or updated (district staff)."""
    district = district_for(request)
    order = get_object_or_404(CourseOrder, district=district, year=year)
    try:
        done = services.order_problem_lines(order=order)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Строки по проблемным полям: добавлено {done.added}, обновлено {done.updated}.",
        )
    return redirect(reverse("deficits:order", args=[year]) + district_query(request, district))


@login_required
@require_POST
def order_line(request: HttpRequest, year: int, key: str) -> HttpResponse:
    """A line settled by the methodologist; `key` is the line's (`CourseOrderLine.key`)."""
    district = district_for(request)
    component, _, subject = key.partition("-")
    line = get_object_or_404(
        CourseOrderLine,
        order__district=district,
        order__year=year,
        component=component,
        subject=subject,
    )
    form = OrderLineForm(request.POST, instance=line, prefix=line.key)
    if not form.is_valid():
        return _order_page(request, district, year, posted=form)
    services.order_line_update(line=line, values=form.cleaned_data)
    messages.success(request, f"Строка «{line.label}» сохранена.")
    return redirect(reverse("deficits:order", args=[year]) + district_query(request, district))


@login_required
@require_POST
def order_letter(request: HttpRequest, year: int, provider: int) -> HttpResponse:
    """The order's letter to a provider, drafted (or drafted again); then it is edited, sent
    and signed on the letter's page as every letter."""
    district = district_for(request)
    order = get_object_or_404(CourseOrder, district=district, year=year)
    provider = get_object_or_404(Provider, pk=provider)
    try:
        drafted = order_letter_draft(order=order, provider=provider, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(reverse("deficits:order", args=[year]) + district_query(request, district))
    done = "составлено" if drafted.created else "составлено заново"
    messages.success(request, f"Письмо организации «{provider.name}» {done}.")
    return redirect("recommendations:detail", pk=drafted.letter.pk)


@login_required
def order_export(request: HttpRequest, year: int) -> HttpResponse:
    district = district_for(request)
    page = selectors.course_order(district, year)
    if page.order is None:
        messages.error(
            request, "План-заказ ещё не сформирован: сформируйте его по целевым группам."
        )
        return redirect(reverse("deficits:order", args=[year]) + district_query(request, district))
    log_export(request.user, f"план-заказ на {page.order.label}: {district}")
    return attachment(
        exports.order_workbook(page), f"course-order-{district.code}-{year + 1}.xlsx", XLSX
    )
