from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProfdevConfig(AppConfig):
    name = "profdev"
    verbose_name = _("Учёт кадров и профессионального развития")
