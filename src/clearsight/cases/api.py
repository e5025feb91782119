"""/api/v1/referrals/, /api/v1/cases/, /api/v1/actions/ and /api/v1/meetings/: the same
access policy, audit and problem+json errors as the pages. Meeting packs are never
served by the API: they are PDFs for the meeting's members, watermarked per download."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clearsight.access import case_policy as policy
from clearsight.access.roles import Capability
from clearsight.areas.models import Membership
from clearsight.audit import services as audit
from clearsight.cases import referral_services, selectors, services
from clearsight.cases.models import (
    ActionStatus,
    AgendaItem,
    Case,
    MaceMeeting,
    PlanAction,
    Referral,
    ReferralService,
    ReferralStatus,
)
from clearsight.core.api import (
    Pagination,
    api_actor,
    requires_capability,
    version_from_if_match,
    with_etag,
)
from clearsight.core.errors import NotFoundError
from clearsight.risk.models import Observation

IF_MATCH = OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=True)


class ReferralSerializer(serializers.ModelSerializer[Referral]):
    person = serializers.IntegerField(source="person_id")
    service = serializers.ChoiceField(choices=ReferralService.choices)
    observations: serializers.PrimaryKeyRelatedField[Observation] = (
        serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    )
    observation_ids = serializers.ListField(
        child=serializers.IntegerField(), write_only=True, required=False, default=list
    )
    referred_by = serializers.CharField(source="referred_by.full_name", read_only=True)
    screening = serializers.IntegerField(source="screening_id", read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "person",
            "service",
            "reason",
            "referred_by",
            "referred_at",
            "screening",
            "observations",
            "observation_ids",
            "status",
            "status_changed_at",
            "accepted_at",
            "outcome",
            "outcome_on",
            "version",
        ]
        read_only_fields = [
            "referred_at",
            "status",
            "status_changed_at",
            "accepted_at",
            "outcome",
            "outcome_on",
            "version",
        ]
        extra_kwargs = {"reason": {"max_length": 10_000}}


class ReferralUpdateSerializer(serializers.Serializer[dict[str, Any]]):
    status = serializers.ChoiceField(choices=ReferralStatus.choices)
    outcome = serializers.CharField(required=False, allow_blank=True, default="", max_length=10_000)
    outcome_on = serializers.DateField(required=False, allow_null=True, default=None)


class ReferralListApi(APIView):
    permission_classes = [requires_capability(Capability.VIEW_CHILDREN)]

    @extend_schema(responses=ReferralSerializer(many=True))
    def get(self, request: Request) -> Response:
        actor = api_actor(request)
        paginator = Pagination()
        queryset = (
            policy.visible_referrals(actor)
            .select_related("referred_by")
            .prefetch_related("observations")
            .order_by("-referred_at", "-pk")
        )
        page = paginator.paginate_queryset(queryset, request, view=self) or []
        audit.record(
            action="referral.listed",
            actor=actor,
            details={"result_person_ids": [r.person_id for r in page], "via": "api"},
        )
        return paginator.get_paginated_response(ReferralSerializer(page, many=True).data)

    @extend_schema(request=ReferralSerializer, responses={201: ReferralSerializer})
    def post(self, request: Request) -> Response:
        actor = api_actor(request)
        serializer = ReferralSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        referral = referral_services.make_referral(
            actor=actor,
            person_id=data["person_id"],
            service=data["service"],
            reason=data["reason"],
            observation_ids=data.get("observation_ids", []),
        )
        return with_etag(ReferralSerializer(referral).data, referral.version, 201)


class ReferralDetailApi(APIView):
    permission_classes = [requires_capability(Capability.VIEW_CHILDREN)]

    @extend_schema(responses=ReferralSerializer)
    def get(self, request: Request, pk: int) -> Response:
        actor = api_actor(request)
        referral = selectors.referral_for_actor(actor, pk)
        if referral is None:
            raise NotFoundError("There is no such referral you may see.")
        audit.record(
            action="referral.viewed",
            actor=actor,
            target=referral,
            person_id=referral.person_id,
            details={"via": "api"},
        )
        return with_etag(ReferralSerializer(referral).data, referral.version)

    @extend_schema(
        request=ReferralUpdateSerializer, responses=ReferralSerializer, parameters=[IF_MATCH]
    )
    def patch(self, request: Request, pk: int) -> Response:
        actor = api_actor(request)
        if selectors.referral_for_actor(actor, pk) is None:
            raise NotFoundError("There is no such referral you may see.")
        expected = version_from_if_match(request)
        serializer = ReferralUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        referral = referral_services.update_referral(
            actor=actor,
            referral_id=pk,
            expected_version=expected,
            status=data["status"],
            outcome=data["outcome"],
            outcome_on=data["outcome_on"],
        )
        return with_etag(ReferralSerializer(referral).data, referral.version)


class ActionSerializer(serializers.ModelSerializer[PlanAction]):
    case = serializers.IntegerField(source="case_id", read_only=True)
    owner = serializers.IntegerField(source="owner_id", help_text="Membership id of the owner")
    agenda_item = serializers.IntegerField(source="agenda_item_id", read_only=True)

    class Meta:
        model = PlanAction
        fields = [
            "id",
            "case",
            "title",
            "owner",
            "due_on",
            "status",
            "outcome",
            "created_on",
            "started_at",
            "finished_at",
            "agenda_item",
            "version",
        ]
        read_only_fields = [
            "status",
            "outcome",
            "created_on",
            "started_at",
            "finished_at",
            "version",
        ]
        extra_kwargs = {"title": {"max_length": 10_000}}


class ActionUpdateSerializer(serializers.Serializer[dict[str, Any]]):
    status = serializers.ChoiceField(choices=ActionStatus.choices)
    outcome = serializers.CharField(required=False, allow_blank=True, default="", max_length=10_000)


class CaseSerializer(serializers.ModelSerializer[Case]):
    person = serializers.IntegerField(source="person_id")
    lead_professional = serializers.IntegerField(
        source="lead_professional_id", required=False, allow_null=True, default=None
    )
    actions = ActionSerializer(many=True, read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "person",
            "lead_professional",
            "opened_at",
            "review_every_weeks",
            "next_review_on",
            "closed_at",
            "closure_outcome",
            "closure_reason",
            "actions",
            "version",
        ]
        read_only_fields = [
            "opened_at",
            "next_review_on",
            "closed_at",
            "closure_outcome",
            "closure_reason",
            "version",
        ]


def _membership(pk: int | None) -> Membership | None:
    return Membership.objects.select_related("agency").filter(pk=pk).first() if pk else None


class CaseListApi(APIView):
    permission_classes = [requires_capability(Capability.VIEW_CHILDREN)]

    @extend_schema(responses=CaseSerializer(many=True))
    def get(self, request: Request) -> Response:
        actor = api_actor(request)
        paginator = Pagination()
        queryset = policy.visible_cases(actor).prefetch_related("actions").order_by("-pk")
        page = paginator.paginate_queryset(queryset, request, view=self) or []
        audit.record(
            action="case.listed",
            actor=actor,
            details={"result_person_ids": [c.person_id for c in page], "via": "api"},
        )
        return paginator.get_paginated_response(CaseSerializer(page, many=True).data)

    @extend_schema(request=CaseSerializer, responses={201: CaseSerializer})
    def post(self, request: Request) -> Response:
        actor = api_actor(request)
        serializer = CaseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        case = services.open_case(
            actor=actor,
            person_id=data["person_id"],
            lead_professional=_membership(data.get("lead_professional_id")),
            review_every_weeks=data.get("review_every_weeks"),
        )
        return with_etag(CaseSerializer(case).data, case.version, 201)


class CaseDetailApi(APIView):
    permission_classes = [requires_capability(Capability.VIEW_CHILDREN)]

    @extend_schema(responses=CaseSerializer)
    def get(self, request: Request, pk: int) -> Response:
        actor = api_actor(request)
        case = selectors.case_for_actor(actor, pk)
        if case is None:
            raise NotFoundError("There is no such case you may see.")
        audit.record(
            action="case.viewed",
            actor=actor,
            target=case,
            person_id=case.person_id,
            details={"via": "api"},
        )
        return with_etag(CaseSerializer(case).data, case.version)


class CaseActionListApi(APIView):
    permission_classes = [requires_capability(Capability.VIEW_CHILDREN)]

    @extend_schema(request=ActionSerializer, responses={201: ActionSerializer})
    def post(self, request: Request, pk: int) -> Response:
        actor = api_actor(request)
        if selectors.case_for_actor(actor, pk) is None:
            raise NotFoundError("There is no such case you may see.")
        serializer = ActionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        action = services.add_action(
            actor=actor,
            case_id=pk,
            data=services.NewAction(
                title=data["title"], owner=_membership(data["owner_id"]), due_on=data["due_on"]
            ),
        )
        return with_etag(ActionSerializer(action).data, action.version, 201)


class ActionDetailApi(APIView):
    permission_classes = [requires_capability(Capability.VIEW_CHILDREN)]

    @extend_schema(responses=ActionSerializer)
    def get(self, request: Request, pk: int) -> Response:
        actor = api_actor(request)
        action = selectors.action_for_actor(actor, pk)
        if action is None:
            raise NotFoundError("There is no such action you may see.")
        audit.record(
            action="case.action_viewed",
            actor=actor,
            target=action,
            person_id=action.case.person_id,
            details={"via": "api"},
        )
        return with_etag(ActionSerializer(action).data, action.version)

    @extend_schema(
        request=ActionUpdateSerializer, responses=ActionSerializer, parameters=[IF_MATCH]
    )
    def patch(self, request: Request, pk: int) -> Response:
        actor = api_actor(request)
        if selectors.action_for_actor(actor, pk) is None:
            raise NotFoundError("There is no such action you may see.")
        expected = version_from_if_match(request)
        serializer = ActionUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        action = services.update_action(
            actor=actor,
            action_id=pk,
            expected_version=expected,
            status=data["status"],
            outcome=data["outcome"],
        )
        return with_etag(ActionSerializer(action).data, action.version)


class AgendaItemSerializer(serializers.ModelSerializer[AgendaItem]):
    person = serializers.IntegerField(source="person_id", read_only=True)
    decisions = serializers.SerializerMethodField()
    actions: serializers.PrimaryKeyRelatedField[PlanAction] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )

    class Meta:
        model = AgendaItem
        fields = ["id", "kind", "person", "subject", "position", "decisions", "actions"]

    def get_decisions(self, item: AgendaItem) -> list[str]:
        return [decision.text for decision in item.decisions.all()]


class MeetingSerializer(serializers.ModelSerializer[MaceMeeting]):
    items = AgendaItemSerializer(many=True, read_only=True)
    members = serializers.SerializerMethodField()

    class Meta:
        model = MaceMeeting
        fields = ["id", "title", "starts_at", "location", "status", "members", "items", "version"]

    def get_members(self, meeting: MaceMeeting) -> list[int]:
        return [member.membership_id for member in meeting.members.all()]


class MeetingListApi(APIView):
    permission_classes = [requires_capability(Capability.VIEW_CHILDREN)]

    @extend_schema(responses=MeetingSerializer(many=True))
    def get(self, request: Request) -> Response:
        actor = api_actor(request)
        paginator = Pagination()
        queryset = selectors.meetings_for(actor).prefetch_related(
            "members", "items__decisions", "items__actions"
        )
        page = paginator.paginate_queryset(queryset, request, view=self) or []
        audit.record(
            action="mace.listed",
            actor=actor,
            details={
                "result_person_ids": [
                    i.person_id for m in page for i in m.items.all() if i.person_id
                ],
                "via": "api",
            },
        )
        return paginator.get_paginated_response(MeetingSerializer(page, many=True).data)


class MeetingDetailApi(APIView):
    permission_classes = [requires_capability(Capability.VIEW_CHILDREN)]

    @extend_schema(responses=MeetingSerializer)
    def get(self, request: Request, pk: int) -> Response:
        actor = api_actor(request)
        meeting = selectors.meeting_for_actor(actor, pk)
        if meeting is None:
            raise NotFoundError("There is no such meeting you may see.")
        audit.record(
            action="mace.viewed",
            actor=actor,
            target=meeting,
            details={
                "person_ids": [i.person_id for i in meeting.items.all() if i.person_id],
                "via": "api",
            },
        )
        return with_etag(MeetingSerializer(meeting).data, meeting.version)
