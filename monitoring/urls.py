from django.urls import path

from monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("<int:year>/", views.overview, name="overview"),
    path("<int:year>/export.xlsx", views.overview_export, name="overview_export"),
    path("<int:year>/indicators/<str:code>/", views.indicator, name="indicator"),
    path("schools/<str:code>/", views.school, name="school"),
    path("<int:year>/schools/<str:code>/", views.school, name="school"),
    path("<int:year>/schools/<str:code>/export.xlsx", views.school_export, name="school_export"),
    path("<int:year>/providers/", views.providers, name="providers"),
    path("<int:year>/providers/export.xlsx", views.providers_export, name="providers_export"),
    path("<int:year>/targets/", views.targets, name="targets"),
    path("<int:year>/basis/", views.basis, name="basis"),
    path("<int:year>/compute/", views.compute, name="compute"),
    path("region/", views.region_overview, name="region"),
    path("region/<int:year>/", views.region_overview, name="region"),
    path("region/<int:year>/compute/", views.region_compute, name="region_compute"),
]
