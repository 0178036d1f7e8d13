"""Routes (ИОМ) in the school workspace: the school's list, a route's page with its outcome,
one screen for the route and its activities, deletion and the printable ИОМ.

A route is reached through its person: within the user's scope and kept by the user
(`Scope.kept_persons`), as every record of the card; the school's list shows the routes of
the persons the school keeps.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from profdev import selectors, services
from profdev.context_processors import page_school_or_404
from profdev.downloads import PDF, attachment
from profdev.facts import is_deficit
from profdev.forms import ActivityFormSet, RecordForm
from profdev.models import Component, DevelopmentRoute, Employment, RouteActivity
from profdev.pdf import render_pdf
from profdev.scoping import persons_kept_by, scope_for
from profdev.views import may
from profdev.workbook import sheets

Status = RouteActivity.Status


def _kept_person_or_404(scope, pk: int):
    person = scope.person_or_404(pk)
    if not scope.keeps(person):
        raise Http404
    return person


def _route_or_404(scope, person, route_id: int) -> DevelopmentRoute:
    return get_object_or_404(
        scope.records(DevelopmentRoute).filter(person=person).select_related("person"),
        pk=route_id,
    )


def _may_or_404(scope, action: str) -> None:
    if not may(scope, sheets.ROUTES, action):
        raise Http404


@login_required
def route_list(request: HttpRequest, code: str) -> HttpResponse:
    scope = scope_for(request.user)
    school = page_school_or_404(request, code)
    persons = scope.kept_persons().filter(
        pk__in=persons_kept_by([school.pk], today=timezone.localdate()).values("pk")
    )
    chosen = request.GET.get("person", "")
    if chosen.isdigit() and persons.filter(pk=chosen).exists():  # «Новый ИОМ для работника»
        return redirect("route_add", pk=int(chosen))
    routes = (
        DevelopmentRoute.objects.filter(person__in=persons)
        .select_related("person")
        .annotate(
            planned=Count("activities", filter=Q(activities__status=Status.PLANNED)),
            done=Count("activities", filter=Q(activities__status=Status.DONE)),
        )
        .order_by("person__last_name", "person__first_name", "person__middle_name", "-started_on")
    )
    return render(
        request,
        "profdev/route_list.html",
        {
            "school": school,
            "routes": routes,
            "persons": persons.order_by("last_name", "first_name", "middle_name"),
            "can_add": may(scope, sheets.ROUTES, "create"),
        },
    )


@login_required
def route_detail(request: HttpRequest, pk: int, route_id: int) -> HttpResponse:
    scope = scope_for(request.user)
    person = _kept_person_or_404(scope, pk)
    route = _route_or_404(scope, person, route_id)
    return render(
        request,
        "profdev/route_detail.html",
        {
            "person": person,
            "route": route,
            "activities": list(route.activities.select_related("course__provider")),
            "outcome": selectors.route_outcome(route),
            "deficit_score": settings.DEFICIT_SCORE,
            "may": {a: may(scope, sheets.ROUTES, a) for a in ("update", "delete")},
        },
    )


@login_required
def route_edit(request: HttpRequest, pk: int, route_id: int | None = None) -> HttpResponse:
    """A new route (no `route_id`) or a route's change, with its activities on one screen.
    A new route addresses by default the person's deficits as of today."""
    scope = scope_for(request.user)
    _may_or_404(scope, "update" if route_id else "create")
    person = _kept_person_or_404(scope, pk)
    route = _route_or_404(scope, person, route_id) if route_id else None
    today = timezone.localdate()
    initial = None
    if route is None:
        components = selectors.deficit_components(person, on=today)
        initial = {
            "started_on": today,
            "components": DevelopmentRoute.encode_components(components),
        }
    form = RecordForm(
        request.POST or None,
        sheet=sheets.ROUTES,
        fixed={"person": person},
        instance=route,
        initial=initial,
    )
    activities = ActivityFormSet(
        request.POST or None,
        records=list(route.activities.select_related("course")) if route else [],
        form_kwargs={"courses": person.courses.select_related("provider")},
        prefix="activities",
    )
    if request.method == "POST" and form.is_valid() and activities.is_valid():
        route = services.route_save(
            record=form.record, instance=route, activities=activities.changes(), user=request.user
        )
        messages.success(request, _("ИОМ сохранён."))
        return redirect("route_detail", pk=person.pk, route_id=route.pk)
    return render(
        request,
        "profdev/route_form.html",
        {
            "person": person,
            "route": route,
            "form": form,
            "activities": activities,
            "scores": _latest_scores(person),
            "cancel_url": reverse("route_detail", args=[person.pk, route.pk])
            if route
            else reverse("person_card", args=[person.pk]) + "#routes",
        },
    )


def _latest_scores(person) -> list[selectors.Score]:
    """The person's latest score in each component (what the default components come from)."""
    return [
        selectors.Score(str(Component(c).label), last, is_deficit(last))
        for c, scores in selectors.component_scores(person).items()
        for last in (scores[-1][1] if scores else None,)
    ]


@login_required
def route_delete(request: HttpRequest, pk: int, route_id: int) -> HttpResponse:
    scope = scope_for(request.user)
    _may_or_404(scope, "delete")
    person = _kept_person_or_404(scope, pk)
    route = _route_or_404(scope, person, route_id)
    if request.method == "POST":
        services.route_delete(route=route, user=request.user)
        messages.success(request, _("Удалено: %(record)s.") % {"record": route})
        return redirect(reverse("person_card", args=[person.pk]) + "#routes")
    return render(
        request,
        "profdev/record_confirm_delete.html",
        {
            "person": person,
            "record": route,
            "kind_label": DevelopmentRoute._meta.verbose_name,
            "cancel_url": reverse("route_detail", args=[person.pk, route.pk]),
        },
    )


@login_required
def route_pdf(request: HttpRequest, pk: int, route_id: int) -> HttpResponse:
    """The printable ИОМ for the teacher."""
    scope = scope_for(request.user)
    person = _kept_person_or_404(scope, pk)
    route = _route_or_404(scope, person, route_id)
    employment = (
        person.employments.select_related("school").order_by(*Employment.LATEST_FIRST).first()
    )
    pdf = render_pdf(
        "profdev/route_pdf.html",
        {
            "person": person,
            "route": route,
            "employment": employment,
            "outcome": selectors.route_outcome(route),
            "activities": list(route.activities.all()),
        },
    )
    return attachment(pdf, f"ИОМ {person.full_name} {route.started_on:%d.%m.%Y}.pdf", PDF)
