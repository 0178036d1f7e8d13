from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from profdev import job_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(template_name="registration/password_change.html"),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="registration/password_changed.html"
        ),
        name="password_change_done",
    ),
    path("admin/", admin.site.urls),
    path("jobs/<int:pk>/", job_views.job, name="job"),
    path("jobs/<int:pk>/status.json", job_views.job_status, name="job_status"),
    path("jobs/<int:pk>/retry/", job_views.job_retry, name="job_retry"),
    path("", include("profdev.records_urls")),
    path("monitoring/", include("monitoring.urls")),
    path("letters/", include("recommendations.urls")),
    path("effectiveness/", include("effectiveness.urls")),
    path("deficits/", include("deficits.urls")),
]
