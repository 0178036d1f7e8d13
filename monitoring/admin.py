from django.contrib import admin

from monitoring import models


@admin.register(models.Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "short_name", "group", "direction", "kind", "default_target"]


@admin.register(models.MonitoringYear)
class MonitoringYearAdmin(admin.ModelAdmin):
    list_display = ["district", "year", "reference_date", "basis_number", "computed_at"]
    readonly_fields = ["computed_at"]  # set by the computation, not by hand
