"""Django admin for every record; the site itself is open to administrators only (admin_site.py)."""

from django.contrib import admin

from profdev import models


@admin.register(models.District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(models.Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "district", "head_name"]


@admin.register(models.School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["code", "short_name", "kind", "low_results", "unfavourable", "district"]
    list_filter = ["district", "kind", "low_results", "unfavourable"]
    search_fields = ["code", "name", "short_name"]


@admin.register(models.Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "licence"]
    list_filter = ["kind"]
    search_fields = ["name"]


class EmploymentInline(admin.TabularInline):
    model = models.Employment
    extra = 0
    autocomplete_fields = ["school"]


@admin.register(models.Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["full_name", "masked_snils", "birth_date", "education"]
    search_fields = ["last_name", "first_name", "snils"]
    inlines = [EmploymentInline]


class PersonRecordAdmin(admin.ModelAdmin):
    autocomplete_fields = ["person"]
    search_fields = ["person__last_name"]
    list_select_related = ["person"]


@admin.register(models.Employment)
class EmploymentAdmin(PersonRecordAdmin):
    list_display = [
        "person",
        "school",
        "position",
        "category",
        "workplace",
        "hired_on",
        "dismissed_on",
    ]
    list_filter = ["category", "workplace", "school__district"]
    list_select_related = ["person", "school"]
    autocomplete_fields = ["person", "school"]


@admin.register(models.CourseCompletion)
class CourseCompletionAdmin(PersonRecordAdmin):
    list_display = ["person", "kind", "programme", "provider", "hours", "finished_on"]
    list_filter = ["kind", "form", "distance"]
    list_select_related = ["person", "provider"]
    autocomplete_fields = ["person", "provider"]


@admin.register(models.Attestation)
class AttestationAdmin(PersonRecordAdmin):
    list_display = ["person", "date", "result"]
    list_filter = ["result"]


@admin.register(models.ContestParticipation)
class ContestAdmin(PersonRecordAdmin):
    list_display = ["person", "name", "level", "result", "date"]
    list_filter = ["level", "result"]


@admin.register(models.MentorshipPair)
class MentorshipAdmin(admin.ModelAdmin):
    list_display = ["mentor", "mentee", "started_on", "ended_on"]
    autocomplete_fields = ["mentor", "mentee"]
    list_select_related = ["mentor", "mentee"]


@admin.register(models.DeficitDiagnostic)
class DiagnosticAdmin(PersonRecordAdmin):
    list_display = ["person", "date", "instrument"]


@admin.register(models.DevelopmentRoute)
class RouteAdmin(PersonRecordAdmin):
    list_display = ["person", "started_on", "ended_on", "curator", "tutor"]


@admin.register(models.ProfessionalActivity)
class ActivityAdmin(PersonRecordAdmin):
    list_display = ["person", "kind", "description", "date"]
    list_filter = ["kind"]


@admin.register(models.BurnoutRecord)
class BurnoutAdmin(PersonRecordAdmin):
    list_display = ["person", "date", "level"]
    list_filter = ["level"]


@admin.register(models.Vacancy)
class VacancyAdmin(admin.ModelAdmin):
    list_display = ["school", "position", "count", "opened_on", "closed_on"]
    autocomplete_fields = ["school"]


@admin.register(models.RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "school", "district"]
    list_filter = ["role"]
    autocomplete_fields = ["school"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Journals kept by the portal itself: read, never written by hand."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(models.ChangeRecord)
class ChangeRecordAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "person", "record_type", "action", "source"]
    list_select_related = ["user", "person"]


@admin.register(models.AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "action", "subject", "person", "school"]
    list_filter = ["action"]
    list_select_related = ["user", "person", "school"]


@admin.register(models.Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "title", "user", "status", "done", "total", "finished_at"]
    list_filter = ["status"]
    list_select_related = ["user"]
    exclude = ["key"]


@admin.register(models.Upload)
class UploadAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "filename", "user", "school", "status", "size"]
    list_filter = ["status"]
    list_select_related = ["user", "school"]
    exclude = ["content", "plan"]
