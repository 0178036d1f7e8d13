from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecommendationsConfig(AppConfig):
    name = "recommendations"
    verbose_name = _("Адресные рекомендации")

    def ready(self) -> None:
        from profdev import hooks
        from recommendations import checks  # noqa: F401  (registers the system checks)

        hooks.add_demo_step("Сертификат подписи", "recommendations.demo.load_signing_certificate")
        hooks.add_demo_step("Письма", "recommendations.demo.load_letters")
        hooks.add_kept_mentions(
            "подписанные письма", "recommendations.selectors.signed_letters_naming"
        )
