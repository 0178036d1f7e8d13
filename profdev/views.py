from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from profdev import completeness, providers, selectors, services
from profdev.access_log import log_access
from profdev.context_processors import CURRENT_SCHOOL, current_school, page_school_or_404
from profdev.forms import CourseForm, PersonForm, RecordForm, StaffFilterForm, TeacherForm
from profdev.landing import landing_url
from profdev.models import AccessLog, Employment
from profdev.scoping import scope_for
from profdev.sorting import Direction, sort_headers
from profdev.workbook import sheets

STAFF_PAGE_SIZE = 50


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role lands where its work is."""
    scope = scope_for(request.user)
    school = current_school(request, scope.schools()) if scope.is_school_admin else None
    url = landing_url(request.user, school)
    return redirect(url) if url else render(request, "profdev/no_role.html")


@login_required
def school_workspace(request: HttpRequest, code: str) -> HttpResponse:
    school = page_school_or_404(request, code)
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
STAFF_DIRECTION = Direction("desc", descending="on")  # StaffFilterForm.desc


@login_required
def staff_list(request: HttpRequest, code: str) -> HttpResponse:
    scope = scope_for(request.user)
    school = page_school_or_404(request, code)
    today = timezone.localdate()
    form = StaffFilterForm(request.GET, positions=selectors.school_positions(school))
    form.fields["q"].widget.attrs["data-people-url"] = reverse("people_search", args=[code])
    query = form.staff_query()
    rows = selectors.staff_employments(school, query, today=today, kept=scope.kept_persons())
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
            "columns": sort_headers(
                request.GET,
                STAFF_COLUMNS,
                sort=query.sort,
                descending=query.descending,
                direction=STAFF_DIRECTION,
            ),
            # Category and workplace are filters too; narrow screens keep the rest.
            "narrow_hidden": NARROW_HIDDEN,
            "can_add": may(scope, sheets.STAFF, "create"),
            "can_add_courses": may(scope, sheets.COURSES, "create"),
        },
    )


@login_required
def person_card(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_for(request.user)
    person = scope.person_or_404(pk)
    log_access(user=request.user, action=AccessLog.Action.VIEW, person=person)
    if not scope.keeps(person):
        return _employments_card(request, scope, person)
    # The other side of a mentorship is linked (and its pair editable) when kept too.
    card = selectors.person_card(person, visible_persons=scope.kept_persons())
    return render(
        request,
        "profdev/person_card.html",
        {
            "card": card,
            "deficit_score": settings.DEFICIT_SCORE,
            "editable_school_ids": _editable_among(scope, card.employments),
            "may": {
                kind: {a: may(scope, sheet, a) for a in ("create", "update", "delete")}
                for kind, sheet in {**RECORD_SHEETS, "routes": sheets.ROUTES}.items()
            },
        },
    )


def _editable_among(scope, employments) -> set[int]:
    # Only the schools of this person's employments: not every school a region may edit.
    own_schools = {e.school_id for e in employments}
    return set(scope.editable_schools().filter(pk__in=own_schools).values_list("pk", flat=True))


def _employments_card(request: HttpRequest, scope, person) -> HttpResponse:
    """The card of a person the user's schools employ but do not keep (a part-timer whose
    main school is elsewhere, a former employee): the name and the employments at the
    user's schools, nothing else of the person (workbook.md «Who may change what»)."""
    employments = list(
        person.employments.filter(school__in=scope.schools())
        .select_related("school")
        .order_by("-hired_on")
    )
    return render(
        request,
        "profdev/person_card_employments_only.html",
        {
            "person": person,
            "employments": employments,
            "editable_school_ids": _editable_among(scope, employments),
            "may": {"employments": {a: may(scope, sheets.STAFF, a) for a in ("create", "update")}},
        },
    )


# --- data entry ----------------------------------------------------------------------
# (Routes have their own pages, with their activities: profdev.route_views.)

RECORD_SHEETS = {
    "employments": sheets.STAFF,
    "courses": sheets.COURSES,
    "attestations": sheets.ATTESTATIONS,
    "contests": sheets.CONTESTS,
    "mentorship": sheets.MENTORSHIP,
    "diagnostics": sheets.DIAGNOSTICS,
    "activities": sheets.ACTIVITIES,
    "burnout": sheets.BURNOUT,
}


def may(scope, sheet: sheets.Sheet, action: str) -> bool:
    """District staff change everything in scope; a school administrator what the workbook
    lets them change (`workbook.md`, «Who may change what»)."""
    return scope.is_district_staff or (scope.is_school_admin and action in sheet.admin_actions)


def _sheet_or_404(scope, kind: str, action: str, person) -> sheets.Sheet:
    """The sheet of a kind of record the user may change for this person: of a person the
    user does not keep, only employments at the user's schools."""
    sheet = RECORD_SHEETS.get(kind)
    if sheet is None or not may(scope, sheet, action):
        raise Http404
    if sheet is not sheets.STAFF and not scope.keeps(person):
        raise Http404
    return sheet


def _record_or_404(scope, sheet: sheets.Sheet, person, record_id: int):
    records = scope.records(sheet.model)
    if sheet is sheets.MENTORSHIP:
        kept = scope.kept_persons()  # a pair is changed only when both sides are kept
        records = records.filter(Q(mentor=person) | Q(mentee=person)).filter(
            mentor__in=kept, mentee__in=kept
        )
    elif sheet is sheets.STAFF:
        records = records.filter(person=person, school__in=scope.editable_schools())
    else:
        records = records.filter(person=person)
    return get_object_or_404(records, pk=record_id)


def _pair_choices(scope, person, instance, posted):
    """Who a mentorship form lists as mentor and mentee: the people kept in scope who work
    (or worked) at the person's schools, the pair already stored and any kept person the
    form sent (another school's mentee: a district lists thousands, so the list keeps to the
    school, `profdev.people_search` finds by typing, and any person in scope is accepted)."""
    schools = scope.schools().filter(employments__person=person)
    at_schools = Employment.objects.filter(school__in=schools).values("person_id")
    stored = [instance.mentor_id, instance.mentee_id] if instance else []
    sent = (posted.get(f, "") for f in ("mentor", "mentee"))
    stored += [int(v) for v in sent if v.isascii() and v.isdigit() and len(v) < 10]
    return (
        scope.kept_persons()
        .filter(Q(pk__in=at_schools) | Q(pk__in=stored))
        .order_by("last_name", "first_name", "middle_name")
    )


def _record_form(request, scope, sheet, person, instance=None) -> RecordForm:
    fixed = {} if sheet is sheets.MENTORSHIP else {"person": person}
    if sheet is sheets.COURSES:
        return CourseForm(
            request.POST or None,
            fixed=fixed,
            instance=instance,
            providers=providers.visible(scope, also=instance.provider_id if instance else None),
        )
    refs = {"school": scope.editable_schools()}
    if sheet is sheets.MENTORSHIP:
        refs["mentor"] = refs["mentee"] = _pair_choices(scope, person, instance, request.POST)
    form = RecordForm(request.POST or None, sheet=sheet, fixed=fixed, instance=instance, refs=refs)
    if sheet is sheets.MENTORSHIP:
        if instance is None:
            form.initial["mentee"] = person.pk
        school = scope.schools().filter(employments__person=person).order_by("code").first()
        if school is not None:  # the pickers search the people of the person's school
            for name in ("mentor", "mentee"):
                form.fields[name].widget.attrs["data-people-url"] = reverse(
                    "people_search", args=[school.code]
                )
    return form


ADD_ANOTHER = "add_another"  # the button «Сохранить и добавить ещё»


def _card_url(person, kind: str) -> str:
    anchor = "" if kind == "employments" else f"#{kind}"
    return reverse("person_card", args=[person.pk]) + anchor


@login_required
def record_edit(request: HttpRequest, pk: int, kind: str, record_id: int | None = None):
    """Add (no `record_id`) or change a record on the teacher's card."""
    scope = scope_for(request.user)
    person = scope.person_or_404(pk)
    sheet = _sheet_or_404(scope, kind, "update" if record_id else "create", person)
    instance = _record_or_404(scope, sheet, person, record_id) if record_id else None
    form = _record_form(request, scope, sheet, person, instance)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            if sheet is sheets.COURSES:
                schools = providers.proposing_schools(scope, person)
                providers.propose(form.record["provider"], scope=scope, schools=schools)
            services.record_save(
                sheet=sheet, record=form.record, instance=instance, user=request.user
            )
        messages.success(
            request, _("Сохранено: %(kind)s.") % {"kind": sheet.model._meta.verbose_name}
        )
        if instance is None and ADD_ANOTHER in request.POST:  # the same empty form again
            return redirect(request.path)
        return redirect(_card_url(person, kind))
    return render(
        request,
        "profdev/record_form.html",
        {
            "person": person,
            "form": form,
            "title": (_("Изменение: %(kind)s") if instance else _("Добавление: %(kind)s"))
            % {"kind": sheet.model._meta.verbose_name},
            "cancel_url": _card_url(person, kind),
            "add_another": instance is None and ADD_ANOTHER,
        },
    )


@login_required
def record_delete(request: HttpRequest, pk: int, kind: str, record_id: int):
    scope = scope_for(request.user)
    person = scope.person_or_404(pk)
    sheet = _sheet_or_404(scope, kind, "delete", person)
    instance = _record_or_404(scope, sheet, person, record_id)
    if request.method == "POST":
        services.record_delete(sheet=sheet, instance=instance, user=request.user)
        messages.success(request, _("Удалено: %(record)s.") % {"record": instance})
        return redirect(_card_url(person, kind))
    return render(
        request,
        "profdev/record_confirm_delete.html",
        {
            "person": person,
            "record": instance,
            "kind_label": sheet.model._meta.verbose_name,
            "cancel_url": _card_url(person, kind),
        },
    )


@login_required
def person_edit(request: HttpRequest, pk: int):
    scope = scope_for(request.user)
    person = scope.person_or_404(pk)
    if not may(scope, sheets.STAFF, "update") or not scope.keeps(person):
        raise Http404
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(
                person=person,
                values=form.record,
                version=form.cleaned_data["version"],
                user=request.user,
            )
        except services.PersonChanged as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Данные работника сохранены."))
            return redirect("person_card", pk=person.pk)
    return render(
        request,
        "profdev/record_form.html",
        {
            "person": person,
            "form": form,
            "title": _("Персональные данные"),
            "cancel_url": reverse("person_card", args=[person.pk]),
        },
    )


@login_required
def teacher_add(request: HttpRequest, code: str):
    scope = scope_for(request.user)
    school = page_school_or_404(request, code)
    if not may(scope, sheets.STAFF, "create"):
        raise Http404
    form = TeacherForm(
        request.POST or None, schools=scope.editable_schools(), initial_school=school.pk
    )
    if request.method == "POST" and form.is_valid():
        employment = services.teacher_create(record=form.record, user=request.user)
        messages.success(request, _("Работник добавлен: %(name)s.") % {"name": employment.person})
        return redirect("person_card", pk=employment.person_id)
    return render(
        request,
        "profdev/record_form.html",
        {
            "school": school,
            "form": form,
            "title": _("Новый работник"),
            "cancel_url": reverse("staff_list", args=[school.code]),
        },
    )
