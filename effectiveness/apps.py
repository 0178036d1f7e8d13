from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EffectivenessConfig(AppConfig):
    name = "effectiveness"
    verbose_name = _("Эффективность мер")

    def ready(self) -> None:
        from profdev import hooks
        from recommendations import responses

        hooks.add_demo_step("Мероприятия", "effectiveness.demo.load_measures")
        responses.add_link("measures", "effectiveness.responses.MEASURES")
