from django.urls import path

from clearsight.intel import views

app_name = "intel"

urlpatterns = [
    path("", views.register, name="register"),
    path("review/", views.review, name="review"),
    path("links/new/", views.link_new, name="link-new"),
    path("network/", views.network, name="network"),
    path("network/data.json", views.network_data, name="network-data"),
    path("network/export.csv", views.network_csv, name="network-csv"),
    path("phone-data/", views.phone_data, name="phone-imports"),
    path("phone-data/<int:pk>/", views.phone_data_detail, name="phone-import"),
    path("phone/<int:pk>/deal-line/", views.deal_line, name="deal-line"),
    path("<str:kind>/new/", views.entity_new, name="entity-new"),
    path("<str:kind>/<int:pk>/", views.entity, name="entity"),
]
