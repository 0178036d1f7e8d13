"""Schools report back: the school administrator answers their school's letter until its
term; district staff set the term and see which schools have not answered. Everyone else
gets 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from profdev.scoping import scope_for
from recommendations import responses
from recommendations.response_forms import AnswerForm, ResponseTermForm
from recommendations.selectors import letter_or_404, monitoring_years


@login_required
def letter_response(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_for(request.user)
    letter = letter_or_404(scope, pk)
    if not letter.is_to_school or letter.school_id not in scope.school_ids:
        raise Http404
    today = timezone.localdate()
    routes = {r.pk: r for r in responses.school_routes(letter, today=today)}
    links = responses.links()
    kwargs = {
        "routes": routes,
        "route_labels": [(pk, responses.route_label(r)) for pk, r in routes.items()],
        "links": links,
        "link_choices": {name: link.choices(letter) for name, link in links.items()},
    }
    data = request.POST if request.method == "POST" else None
    forms = [AnswerForm(data, row=row, **kwargs) for row in responses.letter_responses(letter)]
    due = responses.response_due(letter)
    is_open = responses.is_open(letter, today)
    error = ""
    if request.method == "POST":
        if not is_open:
            error = responses.closed_refusal(letter, due)
        elif all(form.is_valid() for form in forms):
            answers = [a for a in (form.answer() for form in forms) if a is not None]
            try:
                responses.letter_respond(
                    letter=letter, answers=answers, user=request.user, today=today
                )
            except ValidationError as refusal:
                error = " ".join(refusal.messages)
            else:
                messages.success(
                    request,
                    f"Ответ на письмо № {letter.number} сохранён: отвечено на "
                    f"{len(answers)} из {len(forms)} показателей.",
                )
                return redirect("recommendations:detail", pk=letter.pk)
        else:
            error = "Не сохранено: исправьте отмеченные поля."
    return render(
        request,
        "recommendations/response_form.html",
        {"letter": letter, "forms": forms, "due": due, "is_open": is_open, "error": error},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def response_term(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_for(request.user)
    scope.require_district_staff()
    letter = letter_or_404(scope, pk)
    form = ResponseTermForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("recommendations:detail", pk=letter.pk)
    try:
        term = responses.response_term_set(
            letter=letter, due=form.cleaned_data["due"], user=request.user
        )
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(request, f"Срок ответа ОО: до {term.due:%d.%m.%Y}.")
    return redirect("recommendations:detail", pk=letter.pk)


@login_required
def responses_missing(request: HttpRequest) -> HttpResponse:
    """The year's school letters not fully answered, with their terms."""
    scope = scope_for(request.user)
    scope.require_district_staff()
    years = list(monitoring_years(scope).order_by("-year", "district__name"))
    chosen = request.GET.get("year", "")
    year = next((y for y in years if str(y.pk) == chosen), years[0] if years else None)
    if chosen and str(getattr(year, "pk", "")) != chosen:
        raise Http404
    return render(
        request,
        "recommendations/responses_missing.html",
        {
            "years": years,
            "year": year,
            "rows": responses.unanswered(scope, year) if year else [],
            "today": timezone.localdate(),
        },
    )
