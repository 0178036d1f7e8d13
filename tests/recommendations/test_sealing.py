"""The seals of signed letters under their own key (PROFDEV_SEAL_KEY), its rotation and
`reseal_letters`, which seals again only letters whose file and signature still check."""

import io

import pytest
from django.core.management import CommandError, call_command

from recommendations.drafting import letters_draft
from recommendations.models import Letter, LetterSeal
from recommendations.services import TamperedLetter, letter_pdf, letter_sign
from recommendations.signing import sha256_hex
from tests.recommendations.factories import flip_a_byte, write_past_the_freeze

pytestmark = pytest.mark.django_db

OLD_KEY = "the-seal-key-the-letters-were-sealed-with-" + "x" * 20
NEW_KEY = "the-seal-key-after-rotation-" + "y" * 30


@pytest.fixture
def signed(year, signer, settings):
    settings.SEAL_KEY, settings.SEAL_KEY_FALLBACKS = OLD_KEY, []
    return [letter_sign(letter=x, user=signer) for x in letters_draft(year=year).letters]


def reseal(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("reseal_letters", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def served(letter: Letter) -> bool:
    try:
        letter_pdf(Letter.objects.get(pk=letter.pk))
    except TamperedLetter:
        return False
    return True


def test_the_seal_does_not_depend_on_the_secret_key(signed, settings):
    settings.SECRET_KEY = "a-new-server-with-another-secret-key-" + "z" * 20
    settings.SECRET_KEY_FALLBACKS = []
    assert all(served(letter) for letter in signed)


def test_rotation_old_key_as_fallback_then_resealed(signed, settings):
    settings.SEAL_KEY = NEW_KEY
    assert not any(served(letter) for letter in signed)

    settings.SEAL_KEY_FALLBACKS = [OLD_KEY]
    assert all(served(letter) for letter in signed)
    before = {s.pk: s.value for s in LetterSeal.objects.all()}
    out, err = reseal()
    assert f"Подписанных писем: {len(signed)}; запечатано заново: {len(signed)}," in out
    assert err == ""
    assert all(before[s.pk] != s.value for s in LetterSeal.objects.all())

    settings.SEAL_KEY_FALLBACKS = []
    assert all(served(letter) for letter in signed)
    out, _ = reseal()
    assert f"запечатано заново: 0, уже с текущим ключом: {len(signed)}" in out


def test_dry_run_changes_nothing(signed, settings):
    settings.SEAL_KEY, settings.SEAL_KEY_FALLBACKS = NEW_KEY, [OLD_KEY]
    before = sorted(LetterSeal.objects.values_list("value", flat=True))
    out, _ = reseal("--dry-run")
    assert f"будет запечатано заново: {len(signed)}" in out
    assert sorted(LetterSeal.objects.values_list("value", flat=True)) == before


def test_a_lost_old_key_needs_the_explicit_option(signed, settings):
    settings.SEAL_KEY, settings.SEAL_KEY_FALLBACKS = NEW_KEY, []
    with pytest.raises(CommandError, match=f"Не запечатано писем: {len(signed)}"):
        reseal()
    assert not any(served(letter) for letter in signed)

    out, err = reseal("--without-old-key")
    assert f"запечатано заново: {len(signed)}" in out and err == ""
    assert all(served(letter) for letter in signed)


def test_a_forged_file_is_never_resealed(signed, settings, capsys):
    """A PDF replaced in the database with its hash recomputed: its signature fails, so even
    without the old key the command refuses it, names it, and the letter stays refused."""
    forged_letter, genuine = signed[0], signed[1]
    forged = flip_a_byte(bytes(forged_letter.pdf))
    write_past_the_freeze(forged_letter, pdf=forged, sha256=sha256_hex(forged))
    settings.SEAL_KEY, settings.SEAL_KEY_FALLBACKS = NEW_KEY, []
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="Не запечатано писем: 1"):
        call_command("reseal_letters", "--without-old-key", stdout=out, stderr=err)
    assert f"Письмо {forged_letter.pk} (" in err.getvalue()
    assert "электронная подпись файла не подтверждается" in err.getvalue()
    assert not served(forged_letter)
    assert served(genuine)


def test_a_changed_file_with_its_old_hash_is_refused(signed, settings):
    damaged = signed[0]
    write_past_the_freeze(damaged, pdf=flip_a_byte(bytes(damaged.pdf)))
    settings.SEAL_KEY_FALLBACKS = [OLD_KEY]
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("reseal_letters", stdout=io.StringIO(), stderr=err)
    assert "контрольная сумма файла не совпадает" in err.getvalue()


def test_without_a_seal_key_nothing_is_signed_or_resealed(year, signer, settings):
    settings.SEAL_KEY = ""
    letter = letters_draft(year=year).letters[0]
    with pytest.raises(Exception, match="Не задан PROFDEV_SEAL_KEY"):
        letter_sign(letter=letter, user=signer)
    assert Letter.objects.get(pk=letter.pk).status == Letter.State.DRAFT
    with pytest.raises(CommandError, match="Не задан PROFDEV_SEAL_KEY"):
        reseal()
