"""One course attended by many: the people ticked in the staff list get the same record of
«Курсы» in one step, validated as the card's form validates one (all or none)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from profdev import providers, services
from profdev.context_processors import page_school_or_404
from profdev.facts import employed_at
from profdev.forms import CourseForm
from profdev.scoping import scope_for
from profdev.text import plural
from profdev.views import may
from profdev.workbook import sheets


@login_required
def course_add_many(request: HttpRequest, code: str) -> HttpResponse:
    scope = scope_for(request.user)
    school = page_school_or_404(request, code)
    if not may(scope, sheets.COURSES, "create"):
        raise Http404
    staff_list = reverse("staff_list", args=[school.code])
    chosen = request.POST.getlist("person") or request.GET.getlist("person")
    people = list(
        scope.kept_persons()
        .filter(
            pk__in=[p for p in chosen if p.isdigit()],
            employments__in=school.employments.filter(employed_at(timezone.localdate())),
        )
        .distinct()
        .order_by("last_name", "first_name", "middle_name", "pk")
    )
    if not people:
        messages.error(request, "Отметьте в списке сотрудников тех, кто прошёл курс.")
        return redirect(staff_list)
    form = CourseForm(
        request.POST or None,
        fixed={"person": None},  # the people are the page's: the service checks each one's key
        providers=providers.visible(scope),
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():  # a refused course leaves no proposal behind
                providers.propose(form.record["provider"], scope=scope, schools=[school])
                services.records_create(
                    sheet=sheets.COURSES,
                    records=[{**form.record, "person": p} for p in people],
                    user=request.user,
                )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            n = len(people)
            whom = plural(n, "сотруднику", "сотрудникам", "сотрудникам")
            messages.success(request, f"Курс добавлен {n} {whom}.")
            return redirect(staff_list)
    return render(
        request,
        "profdev/course_add_many.html",
        {"school": school, "people": people, "form": form, "cancel_url": staff_list},
    )
