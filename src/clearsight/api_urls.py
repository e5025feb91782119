"""/api/v1/ wiring. API views authenticate with DRF (token or verified session), so the
page-level sign-in redirects are switched off for them."""

from collections.abc import Callable
from typing import Any

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from clearsight.areas.api import AgencyListApi, MembershipListApi
from clearsight.cases.api import (
    ActionDetailApi,
    CaseActionListApi,
    CaseDetailApi,
    CaseListApi,
    MeetingDetailApi,
    MeetingListApi,
    ReferralDetailApi,
    ReferralListApi,
)
from clearsight.core.views import api_docs
from clearsight.intel.api import (
    DealLineApi,
    EntityDetailApi,
    EntityListApi,
    LinkDetailApi,
    LinkListApi,
)
from clearsight.missing.api import (
    EpisodeDetailApi,
    EpisodeListApi,
    EpisodeReturnApi,
    ReturnInterviewDetailApi,
    ReturnInterviewListApi,
    ReturnInterviewRecordApi,
    ReturnInterviewTransitionApi,
)
from clearsight.people.api import PersonDetailApi, PersonListApi
from clearsight.risk.api import IndicatorListApi, ObservationListApi, ScreeningListApi


def api(view: Callable[..., Any]) -> Callable[..., Any]:
    view.login_required = False  # type: ignore[attr-defined]
    view.mfa_required = False  # type: ignore[attr-defined]
    view.actor_required = False  # type: ignore[attr-defined]
    return view


urlpatterns = [
    path("v1/persons/", api(PersonListApi.as_view()), name="persons"),
    path("v1/persons/<int:pk>/", api(PersonDetailApi.as_view()), name="person"),
    path("v1/agencies/", api(AgencyListApi.as_view()), name="agencies"),
    path("v1/indicators/", api(IndicatorListApi.as_view()), name="indicators"),
    path(
        "v1/persons/<int:pk>/observations/",
        api(ObservationListApi.as_view()),
        name="person-observations",
    ),
    path(
        "v1/persons/<int:pk>/screenings/",
        api(ScreeningListApi.as_view()),
        name="person-screenings",
    ),
    path("v1/intel/links/", api(LinkListApi.as_view()), name="intel-links"),
    path("v1/intel/links/<int:pk>/", api(LinkDetailApi.as_view()), name="intel-link"),
    path(
        "v1/intel/phone/<int:pk>/deal-line/",
        api(DealLineApi.as_view()),
        name="intel-deal-line",
    ),
    path("v1/intel/<str:kind>/", api(EntityListApi.as_view()), name="intel-entities"),
    path("v1/intel/<str:kind>/<int:pk>/", api(EntityDetailApi.as_view()), name="intel-entity"),
    path("v1/missing-episodes/", api(EpisodeListApi.as_view()), name="missing-episodes"),
    path("v1/missing-episodes/<int:pk>/", api(EpisodeDetailApi.as_view()), name="missing-episode"),
    path(
        "v1/missing-episodes/<int:pk>/return/",
        api(EpisodeReturnApi.as_view()),
        name="missing-episode-return",
    ),
    path("v1/return-interviews/", api(ReturnInterviewListApi.as_view()), name="return-interviews"),
    path(
        "v1/return-interviews/<int:pk>/",
        api(ReturnInterviewDetailApi.as_view()),
        name="return-interview",
    ),
    path(
        "v1/return-interviews/<int:pk>/transition/",
        api(ReturnInterviewTransitionApi.as_view()),
        name="return-interview-transition",
    ),
    path(
        "v1/return-interviews/<int:pk>/record/",
        api(ReturnInterviewRecordApi.as_view()),
        name="return-interview-record",
    ),
    path("v1/memberships/", api(MembershipListApi.as_view()), name="memberships"),
    path("v1/referrals/", api(ReferralListApi.as_view()), name="referrals"),
    path("v1/referrals/<int:pk>/", api(ReferralDetailApi.as_view()), name="referral"),
    path("v1/cases/", api(CaseListApi.as_view()), name="cases"),
    path("v1/cases/<int:pk>/", api(CaseDetailApi.as_view()), name="case"),
    path("v1/cases/<int:pk>/actions/", api(CaseActionListApi.as_view()), name="case-actions"),
    path("v1/actions/<int:pk>/", api(ActionDetailApi.as_view()), name="action"),
    path("v1/meetings/", api(MeetingListApi.as_view()), name="meetings"),
    path("v1/meetings/<int:pk>/", api(MeetingDetailApi.as_view()), name="meeting"),
    path("schema/", api(SpectacularAPIView.as_view()), name="schema"),
    path("docs/", api_docs, name="docs"),
]
