"""The КЭП pages: the head's certificate, preparing and signing a letter, the school's PDF and
signature in one ZIP, and the public signature file."""

from io import BytesIO
from zipfile import ZIP_DEFLATED, ZipFile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from profdev.downloads import PDF, ZIP, attachment
from profdev.scoping import scope_for
from recommendations import services
from recommendations.archive import pdf_name, signature_name
from recommendations.kep import services as kep
from recommendations.kep.forms import CertificateForm, SignatureForm
from recommendations.models import Letter, LetterEvent, QualifiedCertificate, SignaturePreparation
from recommendations.requisites import organisation_of
from recommendations.selectors import letter_or_404

SIGNATURE = "application/pkcs7-signature"


def _head(request: HttpRequest):
    scope = scope_for(request.user)
    if not scope.can_sign:
        raise Http404
    return scope


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
def certificate(request: HttpRequest) -> HttpResponse:
    """The head's qualified certificate: what is registered, and a new one to register."""
    scope = _head(request)
    registered = QualifiedCertificate.objects.filter(user=request.user).first()
    district = scope.districts().order_by("name").first()
    default_position = registered.signer_position if registered else ""
    if not default_position and district is not None:
        default_position = organisation_of(district).head_position
    form = CertificateForm(
        request.POST or None, request.FILES or None, initial={"signer_position": default_position}
    )
    if request.method == "POST" and form.is_valid():
        try:
            kep.certificate_register(
                user=request.user,
                data=form.cleaned_data["file"].read(),
                signer_position=form.cleaned_data["signer_position"],
            )
        except ValidationError as error:
            form.add_error("file", _errors(error))
        else:
            messages.success(request, "Сертификат КЭП зарегистрирован.")
            return redirect("recommendations:kep_certificate")
    return render(
        request, "recommendations/kep_certificate.html", {"form": form, "certificate": registered}
    )


@login_required
def letter_sign(request: HttpRequest, pk: int) -> HttpResponse:
    """Signing a letter with КЭП: prepare the final PDF (POST «prepare»), download it, sign it
    with one's own tool, upload the `.sig` (POST with the file)."""
    scope = _head(request)
    letter = letter_or_404(scope, pk)
    form = SignatureForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and "prepare" in request.POST:
        try:
            kep.letter_prepare_signature(letter=letter, user=request.user)
        except ValidationError as error:
            messages.error(request, _errors(error))
        return redirect("recommendations:kep_sign", pk=letter.pk)
    if request.method == "POST" and form.is_valid():
        try:
            kep.letter_attach_signature(
                letter=letter, user=request.user, signature=form.cleaned_data["file"].read()
            )
        except ValidationError as error:
            form.add_error("file", _errors(error))
        else:
            messages.success(request, "Письмо подписано квалифицированной электронной подписью.")
            return redirect("recommendations:detail", pk=letter.pk)
    letter.refresh_from_db()
    try:
        certificate, refusal = kep.qualified_certificate(request.user), ""
    except ValidationError as error:
        certificate, refusal = None, _errors(error)
    context = {
        "letter": letter,
        "certificate": certificate,
        "refusal": refusal,
        "preparation": SignaturePreparation.objects.filter(letter=letter)
        .only("prepared_at")
        .first(),
        "form": form,
    }
    return render(request, "recommendations/kep_sign.html", context)


@login_required
def prepared_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The exact bytes to sign."""
    letter = letter_or_404(_head(request), pk)
    preparation = get_object_or_404(SignaturePreparation, letter=letter)
    return attachment(bytes(preparation.pdf), pdf_name(letter), PDF)


@login_required
def letter_package(request: HttpRequest, pk: int) -> HttpResponse:
    """A КЭП letter as the school receives it: the PDF and its `.sig` in one ZIP."""
    letter = letter_or_404(scope_for(request.user), pk)
    if not letter.is_signed or letter.signature is None:
        raise Http404
    try:
        pdf = services.letter_pdf(letter)
    except services.TamperedLetter as error:
        return render(
            request, "recommendations/letter_tampered.html", {"message": str(error)}, status=409
        )
    buffer = BytesIO()
    with ZipFile(buffer, "w", ZIP_DEFLATED) as archive:
        archive.writestr(pdf_name(letter), pdf)
        archive.writestr(signature_name(letter), bytes(letter.signature))
    LetterEvent.objects.create(letter=letter, kind=LetterEvent.Kind.DOWNLOADED, user=request.user)
    return attachment(buffer.getvalue(), pdf_name(letter)[:-4] + ".zip", ZIP)


def public_signature(request: HttpRequest, token: str) -> HttpResponse:
    """Public, beside the verification page: the letter's detached signature."""
    letter = get_object_or_404(
        Letter.objects.select_related("school", "provider").only(
            "number", "kind", "school__short_name", "provider__name", "signature", "status"
        ),
        token=token,
        status=Letter.State.SIGNED,
        signature__isnull=False,
    )
    return attachment(bytes(letter.signature), signature_name(letter), SIGNATURE)
