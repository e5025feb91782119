from django.urls import path

from clearsight.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.event_list, name="event-list"),
    path("export/", views.export, name="export"),
    path("emergency-access/", views.emergency_access, name="emergency-access"),
]
