"""The integrity seals of signed letters: an HMAC of each PDF under PROFDEV_SEAL_KEY.

The key is kept outside the database (in the environment), so someone who rewrites a letter's
row — PDF, hash and certificate together — cannot make a seal that verifies. It is a key of
its own, not SECRET_KEY: the letters survive a new SECRET_KEY, and a backup restored on another
server serves its letters as long as the seal key is restored with it (docs/deploy.md).

A rotated-out key stays in PROFDEV_SEAL_KEY_FALLBACKS until `reseal_letters` has sealed every
letter again under the current key.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils.crypto import constant_time_compare, salted_hmac

from recommendations.kep.verification import stored_signature_check
from recommendations.models import Letter, LetterSeal
from recommendations.signing import sha256_hex

SALT = "recommendations.letter.pdf"
KEY_MISSING = (
    "Не задан PROFDEV_SEAL_KEY — ключ печатей целостности подписанных писем. В производственном "
    "режиме он обязателен; храните его вместе с резервными копиями базы (docs/deploy.md)."
)


def identity(letter: Letter) -> str:
    """What the seal binds the PDF to: this letter, its number, date and addressee."""
    return f"{letter.pk}|{letter.token}|{letter.number}|{letter.date:%Y-%m-%d}|{letter.school_id}"


def seal_of(letter: Letter, pdf: bytes, key: str | None = None) -> str:
    key = key or settings.SEAL_KEY
    if not key:
        raise ImproperlyConfigured(KEY_MISSING)
    message = identity(letter).encode() + b"\0" + pdf
    return salted_hmac(SALT, message, secret=key, algorithm="sha256").hexdigest()


def _matches(letter: Letter, pdf: bytes, seal: str, keys) -> bool:
    return any(constant_time_compare(seal_of(letter, pdf, key), seal) for key in keys if key)


def letter_seal(letter: Letter, pdf: bytes) -> None:
    """Seal a letter being signed, under the current key."""
    LetterSeal.objects.update_or_create(letter=letter, defaults={"value": seal_of(letter, pdf)})


def stored_seal(letter: Letter) -> str:
    """The letter's seal, read from the letter's own database (a restored copy, too)."""
    try:
        return letter.seal.value
    except LetterSeal.DoesNotExist:
        return ""


def is_untouched(letter: Letter, pdf: bytes) -> bool:
    """The stored bytes are those signed: their hash and the keyed seal both match (under the
    current seal key or a rotated-out one)."""
    keys = [settings.SEAL_KEY, *settings.SEAL_KEY_FALLBACKS]
    return sha256_hex(pdf) == letter.sha256 and _matches(letter, pdf, stored_seal(letter), keys)


@dataclass
class ResealReport:
    resealed: list[Letter] = field(default_factory=list)
    current: list[Letter] = field(default_factory=list)
    refused: list[tuple[Letter, str]] = field(default_factory=list)


def letters_reseal(*, without_old_key: bool = False, dry_run: bool = False) -> ResealReport:
    """Seal every signed letter again under the current key.

    A letter is sealed again only when its stored PDF still has the SHA-256 recorded at signing
    and its electronic signature verifies against the signer's certificate recorded with it,
    and when its old seal verifies under a rotated-out key (PROFDEV_SEAL_KEY_FALLBACKS).
    `without_old_key` drops that last condition, for a seal key that was lost: the database
    itself is then trusted. Every other letter is reported and keeps its seal.
    """
    if not settings.SEAL_KEY:
        raise ImproperlyConfigured(KEY_MISSING)
    report = ResealReport()
    signed = Letter.objects.filter(status=Letter.State.SIGNED).order_by("pk")
    for pk in signed.values_list("pk", flat=True):
        letter = Letter.objects.select_related("school", "provider").get(pk=pk)
        pdf = bytes(letter.pdf)
        reason = _refusal(letter, pdf, without_old_key)
        if reason:
            report.refused.append((letter, reason))
        elif _matches(letter, pdf, stored_seal(letter), [settings.SEAL_KEY]):
            report.current.append(letter)
        else:
            report.resealed.append(letter)
            if not dry_run:
                with transaction.atomic():
                    letter_seal(letter, pdf)
    return report


def _refusal(letter: Letter, pdf: bytes, without_old_key: bool) -> str:
    if sha256_hex(pdf) != letter.sha256:
        return "контрольная сумма файла не совпадает с сохранённой при подписании"
    if not stored_signature_check(letter, pdf).ok:
        return "электронная подпись файла не подтверждается"
    keys = [settings.SEAL_KEY, *settings.SEAL_KEY_FALLBACKS]
    if not without_old_key and not _matches(letter, pdf, stored_seal(letter), keys):
        return (
            "прежняя печать не проверяется ни одним известным ключом (PROFDEV_SEAL_KEY_FALLBACKS); "
            "если прежний ключ утрачен — запустите команду с --without-old-key"
        )
    return ""
