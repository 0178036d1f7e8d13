from django.apps import AppConfig
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _


class ProfdevConfig(AppConfig):
    name = "profdev"
    verbose_name = _("Учёт кадров и профессионального развития")

    def ready(self) -> None:
        from profdev import checks  # noqa: F401  (registers the system checks)
        from profdev.converters import YearConverter

        register_converter(YearConverter, "year")
