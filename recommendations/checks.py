"""System checks of the letters' settings: `manage.py check`, `migrate` and `runserver` run them."""

from django.conf import settings
from django.core.checks import Error, register

from recommendations.sealing import KEY_MISSING


@register()
def seal_key_is_set(app_configs, **kwargs) -> list[Error]:
    if settings.SEAL_KEY:
        return []
    return [
        Error(
            KEY_MISSING,
            hint="Сгенерируйте его: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'",
            id="recommendations.E001",
        )
    ]
