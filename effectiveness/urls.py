from django.urls import path

from effectiveness import views

app_name = "effectiveness"

urlpatterns = [
    path("", views.report, name="report"),
    path("<year:year>/", views.report, name="report"),
    path("<year:year>/letters/", views.report_letters, name="report_letters"),
    path("<year:year>/export.xlsx", views.report_export, name="report_export"),
    path("<year:year>/report.pdf", views.report_pdf, name="report_pdf"),
    path("<year:year>/analytical.pdf", views.analytical_pdf, name="analytical_pdf"),
    path("<year:year>/analytical/", views.analytical_edit, name="analytical_edit"),
    path("measures/", views.measure_list, name="measures"),
    path("measures/new/", views.measure_create, name="measure_new"),
    path("measures/<int:pk>/", views.measure_edit, name="measure_edit"),
    path("measures/<int:pk>/delete/", views.measure_delete, name="measure_delete"),
]
