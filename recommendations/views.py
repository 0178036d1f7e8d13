from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from profdev.downloads import PDF, ZIP, attachment
from profdev.jobs import job_url
from profdev.scoping import scope_for
from profdev.sorting import sort_headers
from profdev.text import plural
from recommendations import requisites, responses, services
from recommendations.archive import archive_name, signed_letters_zip
from recommendations.bulk import draft_letters, sign_letters
from recommendations.forms import (
    LetterBodyForm,
    RegisterForm,
    RequisitesForm,
    ReturnForm,
    RuleForm,
)
from recommendations.listing import (
    COLUMNS,
    DIRECTION,
    INBOX_QUERY,
    LetterFilterForm,
    letter_filter,
)
from recommendations.models import RESPONSE_DAYS, Letter, OutgoingRegister, RecommendationRule
from recommendations.response_forms import ResponseTermForm
from recommendations.selectors import (
    letter_or_404,
    letter_rows,
    letters_awaiting_signature,
    letters_visible,
    monitoring_years,
    status_counts,
)
from recommendations.text import ALLOWED_CLASSES, ALLOWED_TAGS


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


def _district_staff(request: HttpRequest):
    scope = scope_for(request.user)
    scope.require_district_staff()
    return scope


@login_required
def letter_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not scope.is_anyone:
        raise Http404
    if not scope.is_district_staff:
        letters = letter_rows(letters_visible(scope)).order_by("-date", "-id")
        return render(request, "recommendations/letter_list_school.html", {"letters": letters})
    years = list(monitoring_years(scope))
    form = LetterFilterForm(request.GET, years=years)
    shown = letter_filter(form)
    letters = shown.order(letter_rows(shown.apply(letters_visible(scope))))
    return render(
        request,
        "recommendations/letter_list.html",
        {
            "form": form,
            "year": shown.year,
            "status": shown.status,
            "letters": letters,
            "waiting": [x.pk for x in letters if x.status == Letter.State.SENT and scope.can_sign],
            "counts": status_counts(shown.year),
            "columns": sort_headers(
                request.GET,
                COLUMNS,
                sort=shown.sort,
                descending=shown.descending,
                direction=DIRECTION,
            ),
        },
    )


@login_required
@require_POST
def letters_generate(request: HttpRequest, year_id: int) -> HttpResponse:
    """Drafting the year's letters, in the background: the job's page follows it."""
    scope = _district_staff(request)
    year = get_object_or_404(monitoring_years(scope), pk=year_id)
    job = draft_letters.enqueue(
        user=request.user, district=year.district, label=year.label, year_id=year.pk
    )
    return redirect(job_url(job))


@login_required
def letter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_for(request.user)
    letter = letter_or_404(scope, pk)
    context = {
        "letter": letter,
        "events": letter.events.select_related("user") if scope.is_district_staff else (),
        "return_form": ReturnForm(),
        "confirmed": letter.events.filter(kind="confirmed", user=request.user).exists(),
    }
    if letter.is_to_school:  # a school reports back on its letter
        due = responses.response_due(letter)
        context |= {
            "response_due": due,
            "response_open": responses.is_open(letter, timezone.localdate()),
            "responses": responses.letter_responses(letter) if letter.is_signed else (),
            "term_form": ResponseTermForm(initial={"due": due}),
            "response_days": RESPONSE_DAYS,
        }
    return render(request, "recommendations/letter_detail.html", context)


@login_required
def letter_edit(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _district_staff(request)
    letter = letter_or_404(scope, pk)
    if not letter.is_editable:
        messages.error(request, "Письмо направлено на подпись или подписано: изменить его нельзя.")
        return redirect("recommendations:detail", pk=letter.pk)
    form = LetterBodyForm(request.POST or None, initial={"body": letter.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.letter_edit(letter=letter, body=form.cleaned_data["body"], user=request.user)
        except ValidationError as error:
            form.add_error("body", _errors(error))
        else:
            messages.success(request, "Текст письма сохранён.")
            return redirect("recommendations:detail", pk=letter.pk)
    return render(
        request,
        "recommendations/letter_edit.html",
        {
            "letter": letter,
            "form": form,
            "allowed": {
                "tags": sorted(ALLOWED_TAGS),
                "classes": {tag: sorted(names) for tag, names in ALLOWED_CLASSES.items()},
            },
        },
    )


def _act(request: HttpRequest, pk: int, action, done: str, **kwargs) -> HttpResponse:
    letter = letter_or_404(scope_for(request.user), pk)
    try:
        action(letter=letter, user=request.user, **kwargs)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, done)
    return redirect("recommendations:detail", pk=letter.pk)


@login_required
@require_POST
def letter_send(request: HttpRequest, pk: int) -> HttpResponse:
    _district_staff(request)
    return _act(request, pk, services.letter_send, "Письмо направлено на подпись.")


def _sign_confirmation(request: HttpRequest, letters: list[Letter], action: str) -> HttpResponse:
    """The one confirmation before signing: the certificate and the letters it will sign; a
    user who may not sign (not a head, no certificate, an expired one) reads why instead."""
    try:
        certificate, refusal = services.signer_certificate(request.user), ""
    except ValidationError as error:
        certificate, refusal = None, _errors(error)
    context = {"certificate": certificate, "refusal": refusal, "letters": letters, "action": action}
    return render(request, "recommendations/letter_sign_confirm.html", context)


@login_required
def letter_sign(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the confirmation; POST (from it): sign at once."""
    _district_staff(request)
    if request.method == "POST":
        return _act(request, pk, services.letter_sign, "Письмо подписано.")
    letter = letter_or_404(scope_for(request.user), pk)
    if not letter.is_signable:
        messages.error(request, "Письмо подписано или возвращено на доработку: подписывать нечего.")
        return redirect("recommendations:detail", pk=letter.pk)
    return _sign_confirmation(request, [letter], reverse("recommendations:sign", args=[pk]))


@login_required
def letters_sign_selected(request: HttpRequest) -> HttpResponse:
    """The letters ticked in the inbox: GET confirms them, POST signs them in a background job."""
    scope = scope_for(request.user)
    scope.require_district_staff()
    query = request.POST if request.method == "POST" else request.GET
    ids = [int(pk) for pk in query.getlist("letter") if pk.isdecimal()]
    letters = sorted(letters_awaiting_signature(scope).filter(pk__in=ids), key=Letter.natural_order)
    if not letters and scope.can_sign:
        messages.error(request, "Отметьте письма на подписи, которые нужно подписать.")
        return redirect(f"{reverse('recommendations:list')}?{INBOX_QUERY}")
    if request.method != "POST":
        return _sign_confirmation(request, letters, reverse("recommendations:sign_selected"))
    try:
        services.signer_certificate(request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
        return redirect(f"{reverse('recommendations:list')}?{INBOX_QUERY}")
    districts = {letter.monitoring_year.district for letter in letters}
    job = sign_letters.enqueue(
        user=request.user,
        district=districts.pop() if len(districts) == 1 else None,
        label=f"{len(letters)} {plural(len(letters), 'письмо', 'письма', 'писем')}",
        letter_ids=[letter.pk for letter in letters],
    )
    return redirect(job_url(job))


@login_required
def letters_send_all(request: HttpRequest, year_id: int) -> HttpResponse:
    """Every draft of a year for signature at once: GET asks, POST sends."""
    scope = _district_staff(request)
    year = get_object_or_404(monitoring_years(scope), pk=year_id)
    list_url = f"{reverse('recommendations:list')}?year={year.pk}"
    if request.method != "POST":
        drafts = year.letters.filter(status=Letter.State.DRAFT).select_related("school", "provider")
        context = {
            "year": year,
            "drafts": sorted(drafts.defer(*Letter.HEAVY), key=Letter.natural_order),
        }
        return render(request, "recommendations/letters_send_all.html", context)
    try:
        sent = services.letters_send_all(year=year, user=request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(
            request, f"Направлено на подпись: {sent} {plural(sent, 'письмо', 'письма', 'писем')}."
        )
    return redirect(list_url)


@login_required
def letters_archive(request: HttpRequest, year_id: int) -> HttpResponse:
    """The year's signed letters and their outgoing register in one ZIP."""
    scope = _district_staff(request)
    year = get_object_or_404(monitoring_years(scope), pk=year_id)
    try:
        data = signed_letters_zip(year=year, user=request.user)
    except services.TamperedLetter as error:
        return render(
            request, "recommendations/letter_tampered.html", {"message": str(error)}, status=409
        )
    return attachment(data, archive_name(year), ZIP)


@login_required
@require_POST
def letter_return(request: HttpRequest, pk: int) -> HttpResponse:
    _district_staff(request)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Укажите, что нужно доработать.")
        return redirect("recommendations:detail", pk=letter_or_404(scope_for(request.user), pk).pk)
    return _act(
        request,
        pk,
        services.letter_return,
        "Письмо возвращено на доработку.",
        comment=form.cleaned_data["comment"],
    )


@login_required
@require_POST
def letter_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    if not scope_for(request.user).is_school_admin:
        raise Http404
    return _act(request, pk, services.letter_confirm_receipt, "Ознакомление подтверждено.")


@login_required
def letter_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    letter = letter_or_404(scope_for(request.user), pk)
    try:
        data = services.letter_download(letter=letter, user=request.user)
    except services.TamperedLetter as error:
        return render(
            request, "recommendations/letter_tampered.html", {"message": str(error)}, status=409
        )
    name = f"letter-{letter.pk}{'' if letter.is_signed else '-draft'}.pdf"
    return attachment(data, name, PDF)


def verify(request: HttpRequest, token: str) -> HttpResponse:
    """Public: anyone holding the letter's QR link may check its signature (no personal data)."""
    letter = get_object_or_404(
        Letter.objects.select_related("school", "provider"), token=token, status=Letter.State.SIGNED
    )
    check = services.letter_verification(letter)
    if letter.signature is not None:
        check["signature_url"] = reverse("recommendations:kep_signature", args=[token])
    return render(request, "recommendations/verify.html", {"check": check, "now": timezone.now()})


@login_required
def rule_list(request: HttpRequest) -> HttpResponse:
    _district_staff(request)
    rules = RecommendationRule.objects.select_related("indicator").order_by(
        "indicator__order", "order", "id"
    )
    return render(request, "recommendations/rule_list.html", {"rules": rules})


@login_required
def rule_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _district_staff(request)
    rules = RecommendationRule.objects.select_related("indicator")
    rule = get_object_or_404(rules, pk=pk) if pk else RecommendationRule()
    form = RuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        services.rule_save(rule=form.save(commit=False))
        messages.success(request, "Правило сохранено.")
        return redirect("recommendations:rules")
    return render(request, "recommendations/rule_form.html", {"form": form, "rule": rule})


@login_required
def register_edit(request: HttpRequest) -> HttpResponse:
    """The outgoing register's number format and next number: the head's setting."""
    scope = scope_for(request.user)
    if not scope.can_sign:
        raise Http404
    district = scope.districts().order_by("name").first()
    if district is None:
        raise Http404
    year = timezone.localdate().year
    register = OutgoingRegister.objects.filter(district=district, year=year).first()
    form = RegisterForm(request.POST or None, instance=register or OutgoingRegister())
    if request.method == "POST" and form.is_valid():
        try:
            services.register_update(
                district=district,
                year=year,
                number_format=form.cleaned_data["number_format"],
                next_number=form.cleaned_data["next_number"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Настройки нумерации сохранены.")
            return redirect("recommendations:list")
    return render(
        request,
        "recommendations/register_form.html",
        {
            "form": form,
            "district": district,
            "year": year,
            "highest": register and services.highest_issued(register),
            "reserved": register.letters.exclude(status=Letter.State.SIGNED)
            .select_related("school", "provider")
            .only("number", "date", "kind", "school__short_name", "provider__name")
            if register
            else (),
        },
    )


@login_required
def requisites_edit(request: HttpRequest) -> HttpResponse:
    """The office's requisites for its letters: the administrator's and the head's page."""
    districts = requisites.editable_districts(scope_for(request.user)).order_by("name")
    district = districts.filter(code=request.GET.get("district")).first() or districts.first()
    if district is None:
        raise Http404
    organisation = requisites.organisation_of(district)
    missing = organisation.missing()  # as stored, before the form fills the instance in
    form = RequisitesForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        requisites.requisites_save(
            organisation=form.save(commit=False), changed=form.changed_data, user=request.user
        )
        messages.success(request, "Реквизиты сохранены.")
        return redirect(f"{reverse('recommendations:requisites')}?district={district.code}")
    return render(
        request,
        "recommendations/requisites_form.html",
        {
            "form": form,
            "district": district,
            "districts": districts,
            "missing": missing,
            "history": requisites.requisites_history(organisation)[:10],
        },
    )
