"""Public pages (/report/, /look-closer/) and staff pages (/concerns/, /helpline/)."""

from django.urls import path

from clearsight.concerns import helpline_views, public_views, views

app_name = "concerns"

urlpatterns = [
    path("report/", public_views.start, name="report-start"),
    path("report/check-your-answers/", public_views.check, name="report-check"),
    path("report/sent/", public_views.sent, name="report-sent"),
    path("report/<slug:step>/", public_views.question, name="report-question"),
    path("look-closer/", public_views.look_closer, name="look-closer"),
    path("look-closer/<slug:slug>/", public_views.look_closer_sector, name="look-closer-sector"),
    path("concerns/", views.queue, name="queue"),
    path("concerns/figures/", views.figures, name="figures"),
    path("concerns/raise/", views.raise_concern, name="raise"),
    path("concerns/raise/<int:person_pk>/", views.raise_concern, name="raise-about"),
    path("concerns/<str:reference>/", views.detail, name="detail"),
    path("concerns/<str:reference>/assign/", views.assign, name="assign"),
    path("concerns/<str:reference>/link/", views.link, name="link"),
    path("concerns/<str:reference>/observations/", views.observations, name="observations"),
    path("concerns/<str:reference>/outcome/", views.outcome, name="outcome"),
    path("helpline/", helpline_views.contact_list, name="helpline-list"),
    path("helpline/new/", helpline_views.new_contact, name="helpline-new"),
    path("helpline/<int:pk>/", helpline_views.contact_detail, name="helpline-detail"),
]
