from django.urls import path

from clearsight.cases import meeting_views, nrm_views, views

app_name = "cases"

urlpatterns = [
    # A child's case, referrals and NRM record (need to know about the child).
    path("people/<int:pk>/case/", views.person_case, name="person-case"),
    path("people/<int:pk>/case/open/", views.open_case, name="open-case"),
    path("people/<int:pk>/referrals/new/", views.new_referral, name="referral-new"),
    path("people/<int:pk>/nrm/", nrm_views.new_nrm, name="nrm-new"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral"),
    path("cases/<int:pk>/lead/", views.set_lead, name="case-lead"),
    path("cases/<int:pk>/actions/", views.add_action, name="case-add-action"),
    path("cases/<int:pk>/notes/", views.add_note, name="case-add-note"),
    path("cases/<int:pk>/reviews/", views.record_review, name="case-review"),
    path("cases/<int:pk>/close/", views.close_case, name="case-close"),
    path("actions/<int:pk>/", views.action_detail, name="action"),
    path("nrm/<int:pk>/", nrm_views.nrm_detail, name="nrm"),
    path("time-to-help/", views.time_to_help, name="time-to-help"),
    # MACE meetings.
    path("mace/", meeting_views.meeting_list, name="meetings"),
    path("mace/new/", meeting_views.meeting_new, name="meeting-new"),
    path("mace/<int:pk>/", meeting_views.meeting_detail, name="meeting"),
    path("mace/<int:pk>/members/", meeting_views.add_member, name="meeting-add-member"),
    path("mace/<int:pk>/agenda/", meeting_views.add_item, name="meeting-add-item"),
    path(
        "mace/<int:pk>/agenda/<int:item_pk>/remove/",
        meeting_views.remove_item,
        name="meeting-remove-item",
    ),
    path(
        "mace/<int:pk>/agenda/<int:item_pk>/decisions/",
        meeting_views.record_decision,
        name="meeting-decision",
    ),
    path(
        "mace/<int:pk>/agenda/<int:item_pk>/actions/",
        meeting_views.record_action,
        name="meeting-action",
    ),
    path("mace/<int:pk>/agenda/<int:item_pk>/pack.pdf", meeting_views.pack, name="meeting-pack"),
    path("mace/<int:pk>/minutes.pdf", meeting_views.minutes, name="meeting-minutes"),
]
