"""What the signing commands share: the user and the letter a command names, and the line a
signed letter is reported by."""

import json

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from recommendations.models import Letter


def user_and_letter(username: str, letter_id: int):
    """The user and the letter a command names; a Russian CommandError for a wrong one."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"Пользователь «{username}» не найден.")
    letter = Letter.objects.filter(pk=letter_id).first()
    if letter is None:
        raise CommandError(f"Письмо {letter_id} не найдено.")
    return user, letter


def signed_json(letter: Letter) -> str:
    """`{"id", "number", "date", "sha256"}` of a signed letter."""
    result = {
        "id": letter.pk,
        "number": letter.number,
        "date": letter.date.isoformat(),
        "sha256": letter.sha256,
    }
    return json.dumps(result, ensure_ascii=False)
