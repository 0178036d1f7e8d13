from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeficitsConfig(AppConfig):
    name = "deficits"
    verbose_name = _("Дефициты и адресная помощь")

    def ready(self) -> None:
        from profdev import hooks

        hooks.add_demo_step("Адресная помощь", "deficits.demo.load_targeted_support")
