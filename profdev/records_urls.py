from django.urls import path

from profdev import views

urlpatterns = [
    path("schools/<str:code>/", views.school_workspace, name="school_workspace"),
    path("schools/<str:code>/staff/", views.staff_list, name="staff_list"),
    path("schools/<str:code>/staff/add/", views.teacher_add, name="teacher_add"),
    path("persons/<int:pk>/", views.person_card, name="person_card"),
    path("persons/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("persons/<int:pk>/<str:kind>/add/", views.record_edit, name="record_add"),
    path("persons/<int:pk>/<str:kind>/<int:record_id>/", views.record_edit, name="record_edit"),
    path(
        "persons/<int:pk>/<str:kind>/<int:record_id>/delete/",
        views.record_delete,
        name="record_delete",
    ),
]
