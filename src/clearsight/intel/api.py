"""/api/v1/intel/: the register's entities and the links between them, for police
officers and intelligence analysts only, each read and write audited; errors as RFC
9457 problem+json."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clearsight.access.policy import visible_intel, visible_links
from clearsight.access.roles import Capability
from clearsight.audit import services as audit
from clearsight.core.api import Pagination, api_actor, requires_capability
from clearsight.core.errors import NotFoundError
from clearsight.intel import selectors, services
from clearsight.intel.models import IntelAddress, IntelGroup, Link, PhoneNumber, Vehicle


class PhoneSerializer(serializers.ModelSerializer[PhoneNumber]):
    class Meta:
        model = PhoneNumber
        fields = [
            "id",
            "number",
            "is_deal_line",
            "line_name",
            "status",
            "closure_type",
            "closed_on",
            "notes",
        ]


class AddressSerializer(serializers.ModelSerializer[IntelAddress]):
    class Meta:
        model = IntelAddress
        fields = [
            "id",
            "line_1",
            "line_2",
            "town",
            "postcode",
            "uprn",
            "is_cuckooing_concern",
            "vulnerable_resident",
            "notes",
        ]


class VehicleSerializer(serializers.ModelSerializer[Vehicle]):
    class Meta:
        model = Vehicle
        fields = ["id", "registration", "make", "model", "colour"]


class GroupSerializer(serializers.ModelSerializer[IntelGroup]):
    class Meta:
        model = IntelGroup
        fields = ["id", "name", "kind", "description"]


SERIALIZERS: dict[str, type[serializers.ModelSerializer[Any]]] = {
    "phone": PhoneSerializer,
    "address": AddressSerializer,
    "vehicle": VehicleSerializer,
    "group": GroupSerializer,
}


class LinkSerializer(serializers.ModelSerializer[Link]):
    from_node = serializers.SerializerMethodField()
    to_node = serializers.SerializerMethodField()

    class Meta:
        model = Link
        fields = [
            "id",
            "from_node",
            "to_node",
            "link_type",
            "valid_from",
            "valid_to",
            "source",
            "source_evaluation",
            "intelligence_assessment",
            "handling_code",
            "contact_count",
            "review_status",
            "proposed_from",
            "recorded_at",
        ]

    def get_from_node(self, link: Link) -> str:
        return f"{link.from_kind}:{link.from_id}"

    def get_to_node(self, link: Link) -> str:
        return f"{link.to_kind}:{link.to_id}"


class NewLinkSerializer(serializers.Serializer[Any]):
    from_node = serializers.CharField(max_length=40)
    to_node = serializers.CharField(max_length=40)
    link_type = serializers.CharField(max_length=30)
    source = serializers.CharField(max_length=300)  # type: ignore[assignment]
    source_evaluation = serializers.CharField(max_length=1)
    intelligence_assessment = serializers.CharField(max_length=1)
    handling_code = serializers.CharField(max_length=1)
    valid_from = serializers.DateField(required=False, allow_null=True)
    valid_to = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")


def _model(kind: str) -> type[Model]:
    model = selectors.ENTITY_MODELS.get(kind)
    if model is None:
        raise NotFoundError("There is no such kind of record.")
    return model


class EntityListApi(APIView):
    permission_classes = [requires_capability(Capability.VIEW_INTELLIGENCE)]

    @extend_schema(
        responses=PhoneSerializer(many=True), summary="List intelligence records of one kind"
    )
    def get(self, request: Request, kind: str) -> Response:
        actor = api_actor(request)
        records = visible_intel(actor, _model(kind)).order_by("pk")
        paginator = Pagination()
        page = paginator.paginate_queryset(records, request, view=self) or []
        audit.record(
            action="intel.entity.listed",
            actor=actor,
            details={"kind": kind, "ids": [r.pk for r in page]},
        )
        return paginator.get_paginated_response(SERIALIZERS[kind](page, many=True).data)

    @extend_schema(request=PhoneSerializer, responses=PhoneSerializer, summary="Add a record")
    def post(self, request: Request, kind: str) -> Response:
        actor = api_actor(request)
        _model(kind)
        data = {k: v for k, v in dict(request.data).items() if k in SERIALIZERS[kind].Meta.fields}
        data.pop("id", None)
        if kind == "phone":
            record: Model = services.create_phone(actor=actor, **data)
        elif kind == "address":
            resident = data.pop("vulnerable_resident", None)
            record = services.create_address(actor=actor, vulnerable_resident_id=resident, **data)
        elif kind == "vehicle":
            record = services.create_vehicle(actor=actor, **data)
        else:
            record = services.create_group(actor=actor, **data)
        return Response(SERIALIZERS[kind](record).data, status=201)


class EntityDetailApi(APIView):
    permission_classes = [requires_capability(Capability.VIEW_INTELLIGENCE)]

    @extend_schema(responses=PhoneSerializer, summary="Read one intelligence record")
    def get(self, request: Request, kind: str, pk: int) -> Response:
        actor = api_actor(request)
        record = visible_intel(actor, _model(kind)).filter(pk=pk).first()
        if record is None:
            raise NotFoundError("There is no such record you may see.")
        audit.record(action="intel.entity.viewed", actor=actor, target=record)
        return Response(SERIALIZERS[kind](record).data)


class LinkListApi(APIView):
    permission_classes = [requires_capability(Capability.VIEW_INTELLIGENCE)]

    @extend_schema(responses=LinkSerializer(many=True), summary="List links (filter by node)")
    def get(self, request: Request) -> Response:
        actor = api_actor(request)
        links = visible_links(actor).order_by("pk")
        status = request.query_params.get("review_status")
        if status:
            links = links.filter(review_status=status)
        paginator = Pagination()
        page = paginator.paginate_queryset(links, request, view=self) or []
        audit.record(
            action="intel.link.listed", actor=actor, details={"ids": [link.pk for link in page]}
        )
        return paginator.get_paginated_response(LinkSerializer(page, many=True).data)

    @extend_schema(request=NewLinkSerializer, responses=LinkSerializer, summary="Record a link")
    def post(self, request: Request) -> Response:
        actor = api_actor(request)
        serializer = NewLinkSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        link = services.create_link(actor=actor, new=services.NewLink(**serializer.validated_data))
        return Response(LinkSerializer(link).data, status=201)


class LinkDetailApi(APIView):
    permission_classes = [requires_capability(Capability.VIEW_INTELLIGENCE)]

    @extend_schema(responses=LinkSerializer, summary="Read one link")
    def get(self, request: Request, pk: int) -> Response:
        actor = api_actor(request)
        link = visible_links(actor).filter(pk=pk).first()
        if link is None:
            raise NotFoundError("There is no such link you may see.")
        audit.record(action="intel.link.viewed", actor=actor, target=link)
        return Response(LinkSerializer(link).data)


class DealLineSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=500, allow_blank=True)
    line_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    status = serializers.CharField(max_length=10, required=False, default="active")
    closure_type = serializers.CharField(
        max_length=30, required=False, allow_blank=True, default=""
    )
    closed_on = serializers.DateField(required=False, allow_null=True, default=None)
    phone_import_id = serializers.IntegerField(required=False, allow_null=True, default=None)


class DealLineApi(APIView):
    """An intelligence analyst records a number in the register as a deal line, with a
    reason: the same service, checks and audit as the page."""

    permission_classes = [requires_capability(Capability.VIEW_INTELLIGENCE)]

    @extend_schema(
        request=DealLineSerializer, responses=PhoneSerializer, summary="Record a deal line"
    )
    def post(self, request: Request, pk: int) -> Response:
        actor = api_actor(request)
        serializer = DealLineSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        phone = services.record_deal_line(actor=actor, phone_id=pk, **serializer.validated_data)
        return Response(PhoneSerializer(phone).data)
