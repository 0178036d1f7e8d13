from django.contrib import admin

from monitoring import models


@admin.register(models.Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "short_name",
        "group",
        "direction",
        "kind",
        "default_target",
        "names_people",
    ]
    # Whose names a letter may give is a decision about personal data, shipped with the
    # catalogue (a migration) like the formulas, not a setting; the district phrase's {n}
    # is filled in by the letters.
    readonly_fields = ["people_phrase", "district_phrase"]

    @admin.display(boolean=True, description="называет работников")
    def names_people(self, indicator: models.Indicator) -> bool:
        return indicator.names_people


@admin.register(models.MonitoringYear)
class MonitoringYearAdmin(admin.ModelAdmin):
    list_display = ["district", "year", "reference_date", "basis_number", "computed_at"]
    readonly_fields = ["computed_at"]  # set by the computation, not by hand
