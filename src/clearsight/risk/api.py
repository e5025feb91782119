"""/api/v1/indicators/ and a child's observations and screenings, under the same access
policy, audit and problem+json errors as the pages."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clearsight.access.roles import Capability
from clearsight.audit import services as audit
from clearsight.core.api import Pagination, api_actor, requires_capability
from clearsight.risk import selectors, services
from clearsight.risk.models import (
    Indicator,
    LibraryVersion,
    Observation,
    ObservationSource,
    ProtectiveFactorKind,
    Screening,
)


class IndicatorSerializer(serializers.ModelSerializer[Indicator]):
    category_label = serializers.CharField(source="get_category_display", read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "code",
            "title",
            "category",
            "category_label",
            "weight",
            "looks_like",
            "what_to_do",
            "cin_factor",
        ]


class ProtectiveFactorKindSerializer(serializers.ModelSerializer[ProtectiveFactorKind]):
    class Meta:
        model = ProtectiveFactorKind
        fields = ["code", "title"]


class LibrarySerializer(serializers.ModelSerializer[LibraryVersion]):
    area = serializers.IntegerField(source="area_id", allow_null=True)
    indicators = IndicatorSerializer(many=True)
    protective_factors = ProtectiveFactorKindSerializer(many=True, source="protective_factor_kinds")

    class Meta:
        model = LibraryVersion
        fields = [
            "id",
            "area",
            "number",
            "title",
            "published_at",
            "low_threshold",
            "medium_threshold",
            "high_threshold",
            "half_life_days",
            "lookback_days",
            "indicators",
            "protective_factors",
        ]


class ObservationSerializer(serializers.ModelSerializer[Observation]):
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    author_name = serializers.CharField(source="author.full_name", read_only=True)

    class Meta:
        model = Observation
        fields = [
            "id",
            "indicator_code",
            "indicator_title",
            "seen_on",
            "confidence",
            "note",
            "source",
            "source_ref",
            "agency",
            "agency_name",
            "author_name",
            "created_at",
        ]


class NewObservationsSerializer(serializers.Serializer[dict[str, Any]]):
    # Lengths and ranges are checked once, by the service, so the API and the pages give
    # the same messages.
    codes = serializers.ListField(child=serializers.CharField(max_length=100), max_length=100)
    seen_on = serializers.DateField()
    confidence = serializers.IntegerField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=10_000)
    # "source" is also an attribute of every DRF field; the metaclass moves declared
    # fields aside, so the name is safe at run time.
    source = serializers.CharField(  # type: ignore[assignment]
        required=False, default=ObservationSource.PROFESSIONAL, max_length=100
    )
    source_ref = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=10_000
    )


class ScreeningSerializer(serializers.ModelSerializer[Screening]):
    library_version = serializers.IntegerField(source="library_version_id")
    library_number = serializers.IntegerField(source="library_version.number")

    class Meta:
        model = Screening
        fields = [
            "id",
            "as_of",
            "library_version",
            "library_number",
            "computed_level",
            "score",
            "factors",
            "protective_factors",
            "explanation",
            "final_level",
            "previous_level",
            "override_level",
            "override_reason",
            "approval_status",
            "is_current",
            "created_at",
        ]


class IndicatorListApi(APIView):
    """Not personal data: every signed-in role may read the library its area uses."""

    @extend_schema(responses=LibrarySerializer)
    def get(self, request: Request) -> Response:
        version = selectors.current_library(api_actor(request).area_id)
        return Response(LibrarySerializer(version).data)


class ObservationListApi(APIView):
    permission_classes = [requires_capability(Capability.VIEW_CHILDREN)]

    @extend_schema(responses=ObservationSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        actor = api_actor(request)
        person = selectors.visible_person(actor, pk)
        paginator = Pagination()
        page = (
            paginator.paginate_queryset(
                selectors.observations_for(actor, person), request, view=self
            )
            or []
        )
        audit.record(
            action="observation.listed", actor=actor, person_id=person.pk, details={"via": "api"}
        )
        return paginator.get_paginated_response(ObservationSerializer(page, many=True).data)

    @extend_schema(
        request=NewObservationsSerializer, responses={201: ObservationSerializer(many=True)}
    )
    def post(self, request: Request, pk: int) -> Response:
        actor = api_actor(request)
        serializer = NewObservationsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        observations = services.record_observations(
            actor=actor, person_id=pk, **serializer.validated_data
        )
        return Response(ObservationSerializer(observations, many=True).data, status=201)


class ScreeningListApi(APIView):
    permission_classes = [requires_capability(Capability.VIEW_CHILDREN)]

    @extend_schema(responses=ScreeningSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        actor = api_actor(request)
        person = selectors.visible_person(actor, pk)
        paginator = Pagination()
        page = (
            paginator.paginate_queryset(selectors.screenings_for(actor, person), request, view=self)
            or []
        )
        audit.record(
            action="screening.listed", actor=actor, person_id=person.pk, details={"via": "api"}
        )
        return paginator.get_paginated_response(ScreeningSerializer(page, many=True).data)
