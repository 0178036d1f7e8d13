from django.urls import path

from deficits import views

app_name = "deficits"

urlpatterns = [
    path("", views.deficit_map, name="map"),
    path("<year:year>/", views.deficit_map, name="map"),
    path("<year:year>/export.xlsx", views.map_export, name="map_export"),
    path("<year:year>/schools/<str:code>/<str:component>/", views.cell, name="cell"),
    path("<year:year>/groups/", views.groups, name="groups"),
    path("<year:year>/groups/export.xlsx", views.groups_export, name="groups_export"),
    path("<year:year>/groups/routes/", views.groups_routes, name="groups_routes"),
    path("<year:year>/groups/enrol/", views.groups_enrol, name="groups_enrol"),
    path("<year:year>/order/", views.order, name="order"),
    path("<year:year>/order/export.xlsx", views.order_export, name="order_export"),
    path("<year:year>/order/lines/<str:key>/", views.order_line, name="order_line"),
    path("<year:year>/order/problem-lines/", views.order_problem_lines, name="order_problem_lines"),
    path("<year:year>/order/letters/<int:provider>/", views.order_letter, name="order_letter"),
    path("topics/", views.topics, name="topics"),
]
