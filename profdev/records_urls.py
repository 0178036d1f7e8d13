from django.urls import path

from profdev import views

urlpatterns = [
    path("schools/<str:code>/", views.school_workspace, name="school_workspace"),
    path("schools/<str:code>/staff/", views.staff_list, name="staff_list"),
    path("persons/<int:pk>/", views.person_card, name="person_card"),
]
