"""The letters' workflow: edit → send for signature → sign or return; delivery to schools.

A signed letter is frozen: every service refuses to change it, and the database refuses it too
(a trigger, migration 0003).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from profdev.scoping import scope_for
from recommendations.kep.verification import stored_signature_check
from recommendations.models import (
    Letter,
    LetterEvent,
    OutgoingRegister,
    RecommendationRule,
    SigningCertificate,
)
from recommendations.pdf import render_letter_pdf
from recommendations.requisites import require_requisites
from recommendations.sealing import is_untouched, letter_seal
from recommendations.signing import (
    CertificateInfo,
    Signer,
    default_signer,
    sha256_hex,
)
from recommendations.text import initials_surname, sanitise

Kind = LetterEvent.Kind


def _refuse_unless_editable(letter: Letter) -> None:
    if letter.is_signed:
        raise ValidationError("Письмо подписано и не может быть изменено.")
    if not letter.is_editable:
        raise ValidationError(
            "Письмо направлено на подпись: изменить его можно после возврата на доработку."
        )


@transaction.atomic
def letter_edit(*, letter: Letter, body: str, user) -> Letter:
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    _refuse_unless_editable(letter)
    clean = sanitise(body)
    if not clean:
        raise ValidationError({"body": "Текст письма не может быть пустым."})
    letter.body = clean
    letter.edited = clean != letter.generated_body
    letter.executor = user
    letter.full_clean()
    letter.save()
    LetterEvent.objects.create(letter=letter, kind=Kind.EDITED, user=user)
    return letter


@transaction.atomic
def letter_send(*, letter: Letter, user) -> Letter:
    locked = Letter.objects.select_for_update().select_related("monitoring_year__district")
    letter = locked.get(pk=letter.pk)
    _refuse_unless_editable(letter)
    require_requisites(letter.monitoring_year.district)
    letter.status = Letter.State.SENT
    letter.executor = letter.executor or user
    letter.save()
    LetterEvent.objects.create(letter=letter, kind=Kind.SENT, user=user)
    return letter


@transaction.atomic
def letters_send_all(*, year, user) -> int:
    """Send every draft of the monitoring year for signature in one step (letters returned
    for revision, sent or signed stay as they are); returns how many were sent."""
    require_requisites(year.district)
    drafts = Letter.objects.select_for_update().filter(
        monitoring_year=year, status=Letter.State.DRAFT
    )
    ids = list(drafts.order_by("pk").values_list("pk", flat=True))  # no join to lock
    Letter.objects.filter(pk__in=ids, executor__isnull=True).update(executor=user)
    Letter.objects.filter(pk__in=ids).update(status=Letter.State.SENT, updated_at=timezone.now())
    LetterEvent.objects.bulk_create(
        LetterEvent(letter_id=pk, kind=Kind.SENT, user=user) for pk in ids
    )
    return len(ids)


def refuse_non_signer(user) -> None:
    if not scope_for(user).can_sign:
        raise ValidationError(
            f"Пользователь «{user.username}» не является начальником отдела образования "
            "(или исполняющим обязанности) и не может подписывать письма."
        )


def refuse_out_of_force(certificate, what: str, remedy: str) -> None:
    """A certificate (`SigningCertificate`, `QualifiedCertificate`) signs only while in force:
    refused when expired or not yet valid; `what` names it («Сертификат подписи»)."""
    now = timezone.now()
    named = f"{what} № {certificate.serial_number} ({certificate.owner})"
    if certificate.valid_until < now:
        raise ValidationError(
            f"{named} действовал по {timezone.localdate(certificate.valid_until):%d.%m.%Y}: "
            f"срок его действия истёк, подписать им нельзя. {remedy}"
        )
    if certificate.valid_from > now:
        raise ValidationError(
            f"{named} действует с {timezone.localtime(certificate.valid_from):%d.%m.%Y %H:%M}: "
            "срок его действия ещё не начался, подписать им сейчас нельзя."
        )


def signer_certificate(user) -> SigningCertificate:
    """The certificate the user signs with: refused for someone who may not sign, without a
    certificate, or whose certificate is not in force now (expired, or not yet valid)."""
    refuse_non_signer(user)
    certificate = SigningCertificate.objects.filter(user=user).first()
    if certificate is None:
        raise ValidationError(
            f"У пользователя «{user.username}» нет сертификата подписи: "
            "его настраивает администратор (или команда make_dev_certificate)."
        )
    refuse_out_of_force(
        certificate, "Сертификат подписи", "Новый сертификат настраивает администратор."
    )
    return certificate


def _locked_for_signing(letter_id: int, user) -> Letter:
    letter = (
        Letter.objects.select_for_update(of=("self",))
        .select_related("monitoring_year__district__organisation", "school", "executor")
        .get(pk=letter_id)
    )
    if not scope_for(user).reads_district(letter.monitoring_year.district_id):
        raise ValidationError("Письмо другого муниципалитета: подписать его нельзя.")
    if letter.is_signed:
        raise ValidationError(
            f"Письмо уже подписано ({letter.date:%d.%m.%Y} № {letter.number}); "
            "подписанное письмо не подписывается повторно."
        )
    if not letter.is_signable:
        raise ValidationError("Письмо возвращено на доработку: подписать его нельзя.")
    return letter


@transaction.atomic
def letter_return(*, letter: Letter, user, comment: str) -> Letter:
    _require_signer_role(user)
    letter = _locked_for_signing(letter.pk, user)
    if letter.status != Letter.State.SENT:
        raise ValidationError("Вернуть можно только письмо, направленное на подпись.")
    if not comment.strip():
        raise ValidationError({"comment": "Укажите, что нужно доработать."})
    letter.status = Letter.State.RETURNED
    letter.return_comment = comment.strip()
    letter.save()
    LetterEvent.objects.create(letter=letter, kind=Kind.RETURNED, user=user, comment=comment)
    return letter


def _require_signer_role(user) -> None:
    if not scope_for(user).can_sign:
        raise ValidationError("Вернуть письмо может только начальник отдела образования.")


def _locked_register(district_id: int, year: int) -> OutgoingRegister:
    """The register of a district's calendar year under a row lock; a new year's register
    keeps the previous year's number format."""
    previous = (
        OutgoingRegister.objects.filter(district_id=district_id, year__lt=year)
        .order_by("-year")
        .first()
    )
    defaults = {"number_format": previous.number_format} if previous else {}
    register, _ = OutgoingRegister.objects.get_or_create(
        district_id=district_id, year=year, defaults=defaults
    )
    return OutgoingRegister.objects.select_for_update().get(pk=register.pk)


def highest_issued(register: OutgoingRegister) -> int:
    """The highest serial a signed letter took from the register (0 before the first)."""
    return register.letters.aggregate(highest=Max("serial"))["highest"] or 0


def _take_number(letter: Letter, year: int) -> None:
    """Give the letter the register's next serial (consecutive; never one already issued); a
    letter holding a number reserved this year for its КЭП signature keeps it."""
    if letter.register_id and letter.register.year == year:
        return
    register = _locked_register(letter.monitoring_year.district_id, year)
    serial = max(register.next_number, highest_issued(register) + 1)
    register.next_number = serial + 1
    register.save(update_fields=["next_number"])
    letter.register, letter.serial = register, serial
    letter.number = register.format_number(serial)


@transaction.atomic
def letter_sign(*, letter: Letter, user, signer: Signer | None = None) -> Letter:
    """Number, date, render, sign and freeze the letter, all or nothing."""
    certificate = signer_certificate(user)
    letter = _locked_for_signing(letter.pk, user)
    require_requisites(letter.monitoring_year.district)
    signer = signer or default_signer()
    today = timezone.localdate()
    _take_number(letter, today.year)
    letter.date = today
    letter.signed_by = user
    letter.signer_name = certificate.signer_name
    letter.signer_position = certificate.signer_position
    stamp = CertificateInfo(
        serial_number=certificate.serial_number,
        owner=certificate.owner,
        valid_from=certificate.valid_from,
        valid_until=certificate.valid_until,
    )
    pdf = signer.sign(render_letter_pdf(letter, stamp=stamp), certificate)
    letter.pdf = pdf
    letter.sha256 = sha256_hex(pdf)
    letter.signer_certificate = signer.public_certificate(certificate)
    letter.status = Letter.State.SIGNED
    letter.signed_at = timezone.now()
    letter.save()
    letter_seal(letter, pdf)
    LetterEvent.objects.create(letter=letter, kind=Kind.SIGNED, user=user)
    return letter


class TamperedLetter(Exception):
    """The stored PDF no longer matches the SHA-256 recorded at signing."""


def letter_pdf(letter: Letter) -> bytes:
    """The letter's PDF: the signed bytes (checked against their hash), or a «ПРОЕКТ» render."""
    if not letter.is_signed:
        return render_letter_pdf(letter)
    data = bytes(letter.pdf)
    if not is_untouched(letter, data):
        raise TamperedLetter(
            "Файл подписанного письма повреждён или изменён: его контрольная сумма не совпадает "
            "с сохранённой при подписании. Скачивание запрещено; сообщите администратору."
        )
    return data


def letter_download(*, letter: Letter, user) -> bytes:
    data = letter_pdf(letter)
    LetterEvent.objects.create(letter=letter, kind=Kind.DOWNLOADED, user=user)
    return data


def letter_confirm_receipt(*, letter: Letter, user) -> LetterEvent:
    if not letter.is_signed:
        raise ValidationError("Ознакомиться можно только с подписанным письмом.")
    event = LetterEvent.objects.filter(letter=letter, kind=Kind.CONFIRMED, user=user).first()
    return event or LetterEvent.objects.create(letter=letter, kind=Kind.CONFIRMED, user=user)


def letter_verification(letter: Letter) -> dict:
    """What the public verification page may say: never the PDF; of a КЭП signature, the
    certificate's details the signature itself carries."""
    data = bytes(letter.pdf)
    hash_ok = is_untouched(letter, data)
    check = stored_signature_check(letter, data)
    return {
        "kep": check.kep,
        "problem": check.problem,
        "notes": check.notes,
        "hash_ok": hash_ok,
        "intact": check.intact,
        "valid": check.ok and hash_ok,
        "sha256": letter.sha256,
        "number": letter.number,
        "date": letter.date,
        "school": letter.addressee_short,
        "signer_position": letter.signer_position,
        "signer": initials_surname(letter.signer_name),
    }


@transaction.atomic
def register_update(
    *, district, year: int, number_format: str, next_number: int
) -> OutgoingRegister:
    if number_format.count("{n}") != 1:
        raise ValidationError(
            {"number_format": f"Формат «{number_format}» должен содержать ровно один {{n}}."}
        )
    register = _locked_register(district.pk, year)
    highest = highest_issued(register)
    if next_number <= highest:
        raise ValidationError(
            {
                "next_number": f"Номер {register.format_number(highest)} уже выдан в {year} году: "
                f"следующий номер должен быть больше {highest}."
            }
        )
    register.number_format = number_format
    register.next_number = next_number
    register.full_clean()
    register.save()
    return register


def rule_save(*, rule: RecommendationRule) -> RecommendationRule:
    rule.text = rule.text.strip()
    rule.full_clean()
    rule.save()
    return rule
