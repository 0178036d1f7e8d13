"""System checks: what a production deployment must be given. They run on every start: each
`manage.py` command (`migrate` in `make serve-prod`, the worker) and each gunicorn process
(profdev.wsgi), so a misconfigured portal refuses to start and says why, in Russian."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, register

EXAMPLE = "например PROFDEV_PORTAL_URL=https://profdev.example.ru (docs/deploy.md)"


@register()
def portal_url(app_configs, **kwargs) -> list[Error]:
    """Letters' QR codes point to PORTAL_URL and cannot be changed after signing."""
    url = settings.PORTAL_URL
    if not url:
        return [
            Error(
                "Не задан PROFDEV_PORTAL_URL — внешний адрес портала. QR-код подписанного письма "
                "ведёт на страницу проверки по этому адресу, и после подписания его не изменить.",
                hint=f"Задайте адрес, по которому портал открывают пользователи: {EXAMPLE}.",
                id="profdev.E001",
            )
        ]
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        return [
            Error(
                f"PROFDEV_PORTAL_URL «{url}» — не адрес портала: нужен адрес вида "
                "https://имя-сервера, без параметров.",
                hint=f"Задайте адрес, по которому портал открывают пользователи: {EXAMPLE}.",
                id="profdev.E002",
            )
        ]
    return []
