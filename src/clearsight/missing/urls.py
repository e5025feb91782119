from django.urls import path

from clearsight.missing import export_views, philomena_views, views

app_name = "missing"

urlpatterns = [
    path("", views.board, name="board"),
    path("<int:pk>/", views.episode, name="episode"),
    path("report/<int:person_pk>/", views.report, name="report"),
    path("interviews/", views.interviews, name="interviews"),
    path("interviews/<int:pk>/", views.move_interview, name="move-interview"),
    path("figures/", export_views.figures, name="figures"),
    path("export/ssda903.csv", export_views.export, {"kind": "ssda903"}, name="export-ssda903"),
    path("export/annex-a.csv", export_views.export, {"kind": "annex-a"}, name="export-annex-a"),
    path("philomena/<int:person_pk>/", philomena_views.view, name="philomena"),
    path("philomena/<int:person_pk>/edit/", philomena_views.edit, name="philomena-edit"),
    path("philomena/<int:person_pk>/photo/", philomena_views.photo, name="philomena-photo"),
    path(
        "philomena/<int:person_pk>/photo/<int:photo_pk>/",
        philomena_views.photo_image,
        name="philomena-photo-image",
    ),
    path("philomena/<int:person_pk>/pdf/", philomena_views.pdf, name="philomena-pdf"),
    path("interviews/<int:pk>/record/", views.record_interview, name="record-interview"),
    path("other-areas/", views.find_from_other_area, name="find-other-area"),
    path("other-areas/found/", views.found_in_my_area, name="found-in-my-area"),
    path("other-areas/report/", views.report_from_placement, name="report-from-placement"),
]
