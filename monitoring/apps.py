from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Мониторинг")

    def ready(self) -> None:
        from profdev import hooks

        hooks.add_demo_step("Мониторинг", "monitoring.demo.load_monitoring")
