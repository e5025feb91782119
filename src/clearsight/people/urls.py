from django.urls import path

from clearsight.people import views

app_name = "people"

urlpatterns = [
    path("", views.search, name="search"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/emergency-access/", views.break_glass, name="break-glass"),
    path("<int:pk>/team/", views.add_to_team, name="add-to-team"),
    path("<int:pk>/edit/", views.edit, name="edit"),
]
