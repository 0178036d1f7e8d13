from django.urls import path

from monitoring import problem_views, views

app_name = "monitoring"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("<year:year>/", views.overview, name="overview"),
    path("<year:year>/export.xlsx", views.overview_export, name="overview_export"),
    path("<year:year>/indicators/<str:code>/", views.indicator, name="indicator"),
    path("schools/<str:code>/", views.school, name="school"),
    path("<year:year>/schools/<str:code>/", views.school, name="school"),
    path("<year:year>/schools/<str:code>/export.xlsx", views.school_export, name="school_export"),
    path("<year:year>/providers/", views.providers, name="providers"),
    path("<year:year>/providers/export.xlsx", views.providers_export, name="providers_export"),
    path("<year:year>/targets/", views.targets, name="targets"),
    path("<year:year>/problem-limits/", views.problem_limits, name="problem_limits"),
    path("<year:year>/basis/", views.basis, name="basis"),
    path("<year:year>/compute/", views.compute, name="compute"),
    path("problems/", problem_views.problems, name="problems"),
    path("<year:year>/problems/", problem_views.problems, name="problems"),
    path("<year:year>/problems/export.xlsx", problem_views.problems_export, name="problems_export"),
    path("<year:year>/problems/<str:code>/<str:subject>/", problem_views.problem, name="problem"),
    path("region/", views.region_overview, name="region"),
    path("region/<year:year>/", views.region_overview, name="region"),
    path("region/<year:year>/compute/", views.region_compute, name="region_compute"),
]
