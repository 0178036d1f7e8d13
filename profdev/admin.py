"""Django admin for every record; the site itself is open to administrators only (admin_site.py).

Persons and their records are read-only here: the portal's forms keep each change's history
and the person's version, and a change made here would bypass both (docs/security.md).
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import (
    AdminPasswordChangeForm,
    ReadOnlyPasswordHashWidget,
    UserChangeForm,
)
from django.contrib.auth.models import Group, User
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from profdev import models
from profdev.access_log import log_access


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
    list_display = ["name", "kind", "licence", "confirmed"]
    list_filter = ["kind", "confirmed"]
    search_fields = ["name"]
    # A proposal is decided on «Предложенные организации» (docs/providers.md).
    readonly_fields = ["proposed_at"]


class ReadOnly:
    """Records kept by the portal itself: read here, never added, changed or deleted by hand."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(ReadOnly, admin.ModelAdmin):
    """The portal's journals, and the base of persons' data below."""


class PersonalDataAdmin(ReadOnlyAdmin):
    """Opening a person's data here is logged like a card view in the portal."""

    def persons_of(self, obj) -> list[models.Person]:
        return [obj.person]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        for person in self.persons_of(obj):
            log_access(
                user=request.user,
                action=models.AccessLog.Action.VIEW,
                person=person,
                subject=f"администрирование: {self.opts.verbose_name}",
            )
        return super().render_change_form(request, context, add, change, form_url, obj)


class EmploymentInline(ReadOnly, admin.TabularInline):
    model = models.Employment


@admin.register(models.Person)
class PersonAdmin(PersonalDataAdmin):
    list_display = ["name", "snils_masked", "birth_date", "education"]
    search_fields = ["last_name", "first_name"]
    # The full СНИЛС stays on the portal's card.
    fields = [
        "last_name",
        "first_name",
        "middle_name",
        "snils_masked",
        "sex",
        "birth_date",
        "education",
        "experience_since",
    ]
    inlines = [EmploymentInline]

    @admin.display(description=_("ФИО"), ordering="last_name")
    def name(self, obj: models.Person) -> str:
        return obj.full_name

    @admin.display(description=_("СНИЛС"))
    def snils_masked(self, obj: models.Person) -> str:
        return obj.masked_snils

    def persons_of(self, obj) -> list[models.Person]:
        return [obj]


class PersonRecordAdmin(PersonalDataAdmin):
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


@admin.register(models.CourseCompletion)
class CourseCompletionAdmin(PersonRecordAdmin):
    list_display = ["person", "kind", "programme", "provider", "hours", "finished_on"]
    list_filter = ["kind", "form", "distance"]
    list_select_related = ["person", "provider"]


@admin.register(models.Attestation)
class AttestationAdmin(PersonRecordAdmin):
    list_display = ["person", "date", "result"]
    list_filter = ["result"]


@admin.register(models.ContestParticipation)
class ContestAdmin(PersonRecordAdmin):
    list_display = ["person", "name", "level", "result", "date"]
    list_filter = ["level", "result"]


@admin.register(models.MentorshipPair)
class MentorshipAdmin(PersonalDataAdmin):
    list_display = ["mentor", "mentee", "started_on", "ended_on"]
    list_select_related = ["mentor", "mentee"]

    def persons_of(self, obj) -> list[models.Person]:
        return [obj.mentor, obj.mentee]


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


@admin.register(models.RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "school", "district"]
    list_filter = ["role"]


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
    exclude = ["file"]


# The task queue of django-tasks-db, with Russian column names (its own admin has English ones).
admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(DBTaskResultAdmin):
    list_display = ["task", "status", "enqueued_at", "started_at", "finished_at", "queue_name"]

    @admin.display(description=_("задание"))
    def task(self, obj: DBTaskResult) -> str:
        return obj.task_name

    @admin.display(description=_("трассировка"))
    def formatted_traceback(self, obj: DBTaskResult) -> str:
        return super().formatted_traceback(obj)

    @admin.display(description=_("запустить не раньше"))
    def display_run_after(self, obj: DBTaskResult):
        return super().display_run_after(obj)

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        return [name for name in super().get_readonly_fields(request, obj) if name != "id"]


# Users without Django's groups and permissions: the portal's roles are RoleGrants, and the
# admin is open to superusers only (admin_site.py).
admin.site.unregister(Group)
admin.site.unregister(User)


class PasswordHashWidget(ReadOnlyPasswordHashWidget):
    """Django's widget puts `disabled` and a dangling `aria-describedby` on a <div>."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for attribute in ("disabled", "aria-describedby"):
            context["widget"]["attrs"].pop(attribute, None)
        return context


class PortalUserChangeForm(UserChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].widget = PasswordHashWidget()


class PortalPasswordChangeForm(AdminPasswordChangeForm):
    """Everyone signs in with a password: no switch to password-less sign-in (whose help
    text, a list inside a paragraph, also breaks Django's page)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("usable_password", None)
        for name in ("password1", "password2"):
            self.fields[name].required = True


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    form = PortalUserChangeForm
    change_password_form = PortalPasswordChangeForm
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name", "email"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    readonly_fields = ["last_login", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active"]
