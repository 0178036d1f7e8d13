from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecommendationsConfig(AppConfig):
    name = "recommendations"
    verbose_name = _("Адресные рекомендации")

    def ready(self) -> None:
        from recommendations import checks  # noqa: F401  (registers the system checks)
