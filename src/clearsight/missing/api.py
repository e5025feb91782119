"""/api/v1/missing-episodes/ and /api/v1/return-interviews/: so a police missing-persons
system can push reports and returns in, and a return home interview service can move its
interviews on, under the same access policy, audit and problem+json errors as the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clearsight.access.actor import Actor
from clearsight.access.roles import Capability
from clearsight.areas.models import Membership
from clearsight.audit import services as audit
from clearsight.core.api import (
    Pagination,
    api_actor,
    requires_capability,
    version_from_if_match,
    with_etag,
)
from clearsight.core.errors import InvalidInput, NotFoundError
from clearsight.missing import selectors, services
from clearsight.missing.models import (
    EpisodeKind,
    MissingEpisode,
    ReturnHomeInterview,
    RhiState,
    RiskGrading,
)


class InterviewSerializer(serializers.ModelSerializer[ReturnHomeInterview]):
    class Meta:
        model = ReturnHomeInterview
        fields = ["id", "state", "due_at", "offered_at", "responded_at", "finished_at", "reason"]


class EpisodeSerializer(serializers.ModelSerializer[MissingEpisode]):
    person = serializers.IntegerField(source="person_id")
    kind = serializers.ChoiceField(choices=EpisodeKind.choices, default=EpisodeKind.MISSING)
    risk_grading = serializers.ChoiceField(
        choices=RiskGrading.choices, required=False, allow_blank=True, default=""
    )
    return_interview = InterviewSerializer(read_only=True)

    class Meta:
        model = MissingEpisode
        fields = [
            "id",
            "person",
            "kind",
            "started_at",
            "last_seen_place",
            "last_seen_with",
            "clothing",
            "police_reference",
            "risk_grading",
            "reported_at",
            "ended_at",
            "found_place",
            "found_with",
            "found_out_of_area",
            "found_area_name",
            "how_returned",
            "harm_noticed",
            "return_interview",
            "version",
        ]
        read_only_fields = [
            "reported_at",
            "ended_at",
            "found_place",
            "found_with",
            "found_out_of_area",
            "found_area_name",
            "how_returned",
            "harm_noticed",
            "version",
        ]
        extra_kwargs = {
            name: {"max_length": 10_000}
            for name in ["last_seen_place", "last_seen_with", "clothing", "police_reference"]
        }


class ReturnSerializer(serializers.Serializer[dict[str, Any]]):
    returned_at = serializers.DateTimeField()
    found_place = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=10_000
    )
    found_with = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=10_000
    )
    found_out_of_area = serializers.BooleanField(required=False, default=False)
    found_area_name = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=10_000
    )
    how_returned = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=10_000
    )
    harm_noticed = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=5000
    )
    found_area = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        source="found_area_id",
        help_text="Id of the Clearsight area the child was found in, if not their own; "
        "that area's name is used and the child's home area is alerted",
    )


def _respond(episode: MissingEpisode, status: int = 200) -> Response:
    return with_etag(EpisodeSerializer(episode).data, episode.version, status)


class EpisodeListApi(APIView):
    permission_classes = [requires_capability(Capability.VIEW_CHILDREN)]

    @extend_schema(
        responses=EpisodeSerializer(many=True), description="Open episodes of children you may see."
    )
    def get(self, request: Request) -> Response:
        actor = api_actor(request)
        paginator = Pagination()
        page = (
            paginator.paginate_queryset(selectors.open_episodes(actor=actor), request, view=self)
            or []
        )
        audit.record(
            action="missing.listed",
            actor=actor,
            details={"result_person_ids": [e.person_id for e in page], "via": "api"},
        )
        return paginator.get_paginated_response(EpisodeSerializer(page, many=True).data)

    @extend_schema(request=EpisodeSerializer, responses={201: EpisodeSerializer})
    def post(self, request: Request) -> Response:
        actor = api_actor(request)
        serializer = EpisodeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        episode = services.report_missing(
            actor=actor,
            person_id=data["person_id"],
            data=services.NewEpisode(
                started_at=data["started_at"],
                kind=data["kind"],
                last_seen_place=data.get("last_seen_place", ""),
                last_seen_with=data.get("last_seen_with", ""),
                clothing=data.get("clothing", ""),
                police_reference=data.get("police_reference", ""),
                risk_grading=data.get("risk_grading", ""),
            ),
        )
        return _respond(episode, status=201)


class EpisodeDetailApi(APIView):
    permission_classes = [requires_capability(Capability.VIEW_CHILDREN)]

    @extend_schema(responses=EpisodeSerializer)
    def get(self, request: Request, pk: int) -> Response:
        actor = api_actor(request)
        episode = selectors.episode_for_actor(actor=actor, pk=pk)
        if episode is None:
            raise NotFoundError("There is no such missing episode you may see.")
        audit.record(
            action="missing.viewed",
            actor=actor,
            target=episode,
            person_id=episode.person_id,
            details={"via": "api"},
        )
        return _respond(episode)


class EpisodeReturnApi(APIView):
    permission_classes = [requires_capability(Capability.RECORD_MISSING_EPISODES)]

    @extend_schema(
        request=ReturnSerializer,
        responses=EpisodeSerializer,
        parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=True)],
    )
    def post(self, request: Request, pk: int) -> Response:
        actor = api_actor(request)
        if selectors.episode_for_actor(actor=actor, pk=pk) is None:
            raise NotFoundError("There is no such missing episode you may see.")
        expected = version_from_if_match(request)
        serializer = ReturnSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.record_return(
            actor=actor,
            episode_id=pk,
            expected_version=expected,
            data=services.Return(**serializer.validated_data),
        )
        episode = selectors.episode_for_actor(actor=actor, pk=pk)
        assert episode is not None
        return _respond(episode)


# --- Return home interviews -----------------------------------------------------------


def _interviews(actor: Actor) -> QuerySet[ReturnHomeInterview]:
    return selectors.interviews_for_actor(actor=actor)


def _interview(actor: Actor, pk: int) -> ReturnHomeInterview:
    interview = selectors.interview_for_actor(actor=actor, pk=pk)
    if interview is None:
        raise NotFoundError("There is no such return home interview you may see.")
    return interview


class ReturnInterviewSerializer(serializers.ModelSerializer[ReturnHomeInterview]):
    person = serializers.IntegerField(source="episode.person_id", read_only=True)

    class Meta:
        model = ReturnHomeInterview
        fields = [
            "id",
            "episode",
            "person",
            "state",
            "due_at",
            "worker",
            "offered_at",
            "responded_at",
            "finished_at",
            "reason",
            "version",
        ]
        read_only_fields = fields


class InterviewFilterSerializer(serializers.Serializer[dict[str, Any]]):
    state = serializers.ChoiceField(choices=RhiState.choices, required=False)


class TransitionSerializer(serializers.Serializer[dict[str, Any]]):
    state = serializers.ChoiceField(choices=RhiState.choices)
    worker = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="Membership id of the worker"
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


def _respond_interview(interview: ReturnHomeInterview) -> Response:
    return with_etag(ReturnInterviewSerializer(interview).data, interview.version)


class ReturnInterviewListApi(APIView):
    permission_classes = [requires_capability(Capability.VIEW_CHILDREN)]

    @extend_schema(
        parameters=[InterviewFilterSerializer],
        responses=ReturnInterviewSerializer(many=True),
        description="Return home interviews of children you may see, soonest due first.",
    )
    def get(self, request: Request) -> Response:
        actor = api_actor(request)
        filters = InterviewFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        interviews = _interviews(actor).order_by("due_at", "pk")
        if "state" in filters.validated_data:
            interviews = interviews.filter(state=filters.validated_data["state"])
        paginator = Pagination()
        page = paginator.paginate_queryset(interviews, request, view=self) or []
        audit.record(
            action="rhi.listed",
            actor=actor,
            details={"result_person_ids": [i.episode.person_id for i in page], "via": "api"},
        )
        return paginator.get_paginated_response(ReturnInterviewSerializer(page, many=True).data)


class ReturnInterviewDetailApi(APIView):
    permission_classes = [requires_capability(Capability.VIEW_CHILDREN)]

    @extend_schema(responses=ReturnInterviewSerializer)
    def get(self, request: Request, pk: int) -> Response:
        actor = api_actor(request)
        interview = _interview(actor, pk)
        audit.record(
            action="rhi.viewed",
            actor=actor,
            target=interview,
            person_id=interview.episode.person_id,
            details={"via": "api"},
        )
        return _respond_interview(interview)


class ReturnInterviewTransitionApi(APIView):
    permission_classes = [requires_capability(Capability.VIEW_CHILDREN)]

    @extend_schema(
        request=TransitionSerializer,
        responses=ReturnInterviewSerializer,
        parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=True)],
        description=(
            "Offer (naming the worker's membership id), accept, decline or record as not "
            "completed; declining and not completing need a reason. An interview is "
            "completed by recording it (what the child said) on the interview page."
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        actor = api_actor(request)
        _interview(actor, pk)
        expected = version_from_if_match(request)
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        worker = None
        if data["worker"] is not None:
            # Only roles of the actor's own area; anything else is "not a current worker".
            worker = (
                Membership.objects.select_related("user")
                .filter(pk=data["worker"], agency__area_id=actor.area_id)
                .first()
            )
            if worker is None:
                raise InvalidInput(
                    {"worker": "Choose someone with a current return home interview worker role"}
                )
        interview = services.move_interview(
            actor=actor,
            interview_id=pk,
            expected_version=expected,
            target=data["state"],
            reason=data["reason"],
            worker=worker,
        )
        return _respond_interview(interview)


class InterviewRecordSerializer(serializers.Serializer[dict[str, Any]]):
    held_on = serializers.DateField()
    where_child_was = serializers.CharField(required=False, allow_blank=True, default="")
    who_with = serializers.CharField(required=False, allow_blank=True, default="")
    what_happened = serializers.CharField()
    push_factors = serializers.CharField(required=False, allow_blank=True, default="")
    pull_factors = serializers.CharField(required=False, allow_blank=True, default="")
    harm = serializers.CharField(required=False, allow_blank=True, default="")
    childs_words = serializers.CharField(required=False, allow_blank=True, default="")
    disclosure_codes = serializers.ListField(
        child=serializers.CharField(max_length=20),
        required=False,
        default=list,
        help_text="Indicator codes from the area's published library; each becomes an "
        "observation from source return_home_interview",
    )
    disclosure_notes = serializers.CharField(required=False, allow_blank=True, default="")


class ReturnInterviewRecordApi(APIView):
    permission_classes = [requires_capability(Capability.RECORD_RETURN_INTERVIEWS)]

    @extend_schema(
        request=InterviewRecordSerializer,
        responses=ReturnInterviewSerializer,
        parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=True)],
        description=(
            "Record an accepted interview and complete it. Only the worker it was offered "
            "to may record it. Each disclosure code becomes an observation on the child's "
            "record; if anything is refused, nothing is saved."
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        actor = api_actor(request)
        _interview(actor, pk)
        expected = version_from_if_match(request)
        serializer = InterviewRecordSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        interview = services.complete_interview(
            actor=actor,
            interview_id=pk,
            expected_version=expected,
            data=services.InterviewRecord(**serializer.validated_data),
        )
        return _respond_interview(interview)
