"""Risk pages: on the child page (observations, overrides), for triage officers and
managers, the area's indicator library, and the public spot-the-signs guidance."""

from django.urls import path

from clearsight.risk import public_views, views

app_name = "risk"

urlpatterns = [
    path(
        "people/<int:pk>/observations/new/",
        views.record_observation,
        name="record-observation",
    ),
    path("people/<int:pk>/risk-level/", views.override, name="override"),
    path("risk/approvals/", views.approvals, name="approvals"),
    path("risk/approvals/<int:pk>/", views.decide, name="decide"),
    path("risk/rising/", views.rising, name="rising"),
    path("risk/indicators/", views.indicators, name="indicators"),
    path("risk/library/", views.library_list, name="library"),
    path("risk/library/new-draft/", views.library_new_draft, name="library-new-draft"),
    path("risk/library/<int:pk>/", views.library_version, name="library-version"),
    path("risk/library/<int:pk>/publish/", views.library_publish, name="library-publish"),
    path("risk/library/indicators/<int:pk>/", views.library_indicator, name="library-indicator"),
    path("signs/", public_views.signs, name="signs"),
    path("signs/<slug:slug>/", public_views.signs_category, name="signs-category"),
]
