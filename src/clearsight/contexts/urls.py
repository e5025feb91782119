from django.urls import path

from clearsight.contexts import views

app_name = "contexts"

urlpatterns = [
    path("places/", views.locations, name="locations"),
    path("places/map/", views.hotspot_map, name="map"),
    path("places/map/data.json", views.hotspot_data, name="map-data"),
    path("places/<int:pk>/", views.location, name="location"),
    path("peer-groups/new/", views.peer_group_new, name="peer-group-new"),
    path("peer-groups/<int:pk>/", views.peer_group, name="peer-group"),
]
