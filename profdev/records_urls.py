from django.urls import path

from profdev import views

urlpatterns = [
    path("schools/<str:code>/", views.school_workspace, name="school_workspace"),
]
