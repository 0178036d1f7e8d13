from django.urls import path

from profdev import (
    course_views,
    people_search,
    provider_views,
    result_views,
    route_views,
    upload_views,
    views,
)

urlpatterns = [
    path("schools/<str:code>/", views.school_workspace, name="school_workspace"),
    path("schools/<str:code>/staff/", views.staff_list, name="staff_list"),
    path("schools/<str:code>/staff/add/", views.teacher_add, name="teacher_add"),
    path("schools/<str:code>/people.json", people_search.people_search, name="people_search"),
    path("schools/<str:code>/courses/add/", course_views.course_add_many, name="course_add_many"),
    path("schools/<str:code>/upload/", upload_views.school_upload, name="school_upload"),
    path("schools/<str:code>/workbook.xlsx", upload_views.school_workbook, name="school_workbook"),
    path("providers/proposed/", provider_views.proposed_providers, name="proposed_providers"),
    path("providers/<int:pk>/confirm/", provider_views.provider_confirm, name="provider_confirm"),
    path("providers/<int:pk>/merge/", provider_views.provider_merge, name="provider_merge"),
    path("providers/<int:pk>/reject/", provider_views.provider_reject, name="provider_reject"),
    path("upload/", upload_views.district_upload, name="district_upload"),
    path("workbook.xlsx", upload_views.district_workbook, name="district_workbook"),
    path("workbook-template.xlsx", upload_views.workbook_template, name="workbook_template"),
    path("uploads/<int:pk>/", upload_views.upload, name="upload"),
    path("uploads/<int:pk>/confirm/", upload_views.upload_confirm, name="upload_confirm"),
    path("uploads/<int:pk>/recheck/", upload_views.upload_recheck, name="upload_recheck"),
    path("schools/<str:code>/routes/", route_views.route_list, name="route_list"),
    path("schools/<str:code>/results/", result_views.school_results, name="school_results"),
    path(
        "schools/<str:code>/results/<year:year>/",
        result_views.school_results_year,
        name="school_results_year",
    ),
    path("persons/<int:pk>/", views.person_card, name="person_card"),
    # A route has its own pages (its activities, outcome, print), before the generic records'.
    path("persons/<int:pk>/iom/add/", route_views.route_edit, name="route_add"),
    path("persons/<int:pk>/iom/<int:route_id>/", route_views.route_detail, name="route_detail"),
    path("persons/<int:pk>/iom/<int:route_id>/edit/", route_views.route_edit, name="route_edit"),
    path(
        "persons/<int:pk>/iom/<int:route_id>/delete/",
        route_views.route_delete,
        name="route_delete",
    ),
    path("persons/<int:pk>/iom/<int:route_id>/iom.pdf", route_views.route_pdf, name="route_pdf"),
    path("persons/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("persons/<int:pk>/<str:kind>/add/", views.record_edit, name="record_add"),
    path("persons/<int:pk>/<str:kind>/<int:record_id>/", views.record_edit, name="record_edit"),
    path(
        "persons/<int:pk>/<str:kind>/<int:record_id>/delete/",
        views.record_delete,
        name="record_delete",
    ),
]
