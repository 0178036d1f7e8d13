"""Third-party apps under Russian names: the admin shows an app's verbose_name as a heading."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class AxesConfig(AxesAppConfig):
    verbose_name = _("Блокировка входа")


class TasksDatabaseConfig(TasksAppConfig):
    verbose_name = _("Очередь заданий")
