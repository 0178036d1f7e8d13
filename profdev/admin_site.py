from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class AdministratorOnlyAdminSite(admin.AdminSite):
    """The Django admin, open to the IT administrator role (a superuser) and to no other role."""

    site_header = "Портал профессионального развития — администрирование"
    site_title = "Администрирование"

    def has_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser


class ProfdevAdminConfig(AdminConfig):
    default_site = "profdev.admin_site.AdministratorOnlyAdminSite"
