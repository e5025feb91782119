"""/api/v1/persons/: the same access policy and audit as the pages."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clearsight.access.roles import Capability
from clearsight.audit import services as audit
from clearsight.core.api import (
    Pagination,
    api_actor,
    requires_capability,
    version_from_if_match,
    with_etag,
)
from clearsight.core.errors import NotFoundError
from clearsight.people import selectors, services, validation
from clearsight.people.choices import Ethnicity, IdentifierKind, LegalStatus, PersonKind, Sex
from clearsight.people.models import Address, Person, PersonIdentifier, Phone


class IdentifierSerializer(serializers.ModelSerializer[PersonIdentifier]):
    kind = serializers.ChoiceField(choices=IdentifierKind.choices)
    issuer = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")

    class Meta:
        model = PersonIdentifier
        fields = ["kind", "value", "issuer"]


class AddressSerializer(serializers.ModelSerializer[Address]):
    class Meta:
        model = Address
        fields = ["line_1", "line_2", "town", "postcode", "from_on", "to_on"]
        read_only_fields = ["line_2", "town", "from_on", "to_on"]


class PhoneSerializer(serializers.ModelSerializer[Phone]):
    class Meta:
        model = Phone
        fields = ["number", "label"]


class PersonSerializer(serializers.ModelSerializer[Person]):
    identifiers = IdentifierSerializer(many=True, required=False)
    addresses = AddressSerializer(many=True, required=False)
    phones = PhoneSerializer(many=True, required=False)
    kind = serializers.ChoiceField(choices=PersonKind.choices, default=PersonKind.CHILD)
    sex = serializers.ChoiceField(choices=Sex.choices, default=Sex.UNKNOWN)
    ethnicity = serializers.ChoiceField(choices=Ethnicity.choices, default=Ethnicity.NOT_KNOWN)
    legal_status = serializers.ChoiceField(choices=LegalStatus.choices, default=LegalStatus.NONE)
    given_names = serializers.CharField(max_length=10_000, allow_blank=True)
    family_name = serializers.CharField(max_length=10_000, allow_blank=True)
    version = serializers.IntegerField(read_only=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "kind",
            "given_names",
            "family_name",
            "preferred_name",
            "date_of_birth",
            "date_of_birth_is_approximate",
            "sex",
            "ethnicity",
            "legal_status",
            "placing_authority",
            "identifiers",
            "addresses",
            "phones",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at", "placing_authority"]


class PersonUpdateSerializer(serializers.Serializer[dict[str, Any]]):
    given_names = serializers.CharField(max_length=10_000, allow_blank=True, required=False)
    family_name = serializers.CharField(max_length=10_000, allow_blank=True, required=False)
    preferred_name = serializers.CharField(max_length=10_000, allow_blank=True, required=False)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    date_of_birth_is_approximate = serializers.BooleanField(required=False)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False)
    ethnicity = serializers.ChoiceField(choices=Ethnicity.choices, required=False)
    legal_status = serializers.ChoiceField(choices=LegalStatus.choices, required=False)
    placing_authority = serializers.CharField(max_length=10_000, allow_blank=True, required=False)


class PersonListApi(APIView):
    permission_classes = [requires_capability(Capability.VIEW_CHILDREN)]

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="Name or nickname (fuzzy)"),
            OpenApiParameter("date_of_birth", str, description="YYYY-MM-DD"),
            OpenApiParameter("identifier", str),
            OpenApiParameter("postcode", str),
        ],
        responses=PersonSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        actor = api_actor(request)
        born = serializers.DateField(required=False, allow_null=True).run_validation(
            request.query_params.get("date_of_birth") or None
        )
        criteria = selectors.SearchCriteria(
            text=request.query_params.get("q", ""),
            date_of_birth=born,
            identifier=request.query_params.get("identifier", ""),
            postcode=request.query_params.get("postcode", ""),
        )
        people = (
            selectors.search_persons(actor=actor, criteria=criteria, limit=1000)
            if not criteria.is_empty
            else selectors.all_visible(actor=actor)
        )
        paginator = Pagination()
        page = paginator.paginate_queryset(people, request, view=self)
        rows = page if page is not None else people
        audit.record(
            action="person.listed",
            actor=actor,
            details={"result_person_ids": [p.pk for p in rows], "via": "api"},
        )
        return paginator.get_paginated_response(PersonSerializer(rows, many=True).data)

    @extend_schema(request=PersonSerializer, responses={201: PersonSerializer})
    def post(self, request: Request) -> Response:
        actor = api_actor(request)
        serializer = PersonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        new = validation.NewPerson(
            given_names=data["given_names"],
            family_name=data["family_name"],
            preferred_name=data.get("preferred_name", ""),
            kind=data["kind"],
            date_of_birth=data.get("date_of_birth"),
            date_of_birth_is_approximate=data.get("date_of_birth_is_approximate", False),
            sex=data["sex"],
            ethnicity=data["ethnicity"],
            legal_status=data["legal_status"],
            identifiers=[
                (i["kind"], i["value"], i.get("issuer", "")) for i in data.get("identifiers", [])
            ],
            addresses=[(a["line_1"], a["postcode"]) for a in data.get("addresses", [])],
            phones=[(p["number"], p.get("label", "")) for p in data.get("phones", [])],
        )
        person = services.create_person(actor=actor, data=new)
        fresh = selectors.person_for_actor(actor=actor, pk=person.pk)
        response = with_etag(PersonSerializer(fresh).data, person.version, status=201)
        response["Location"] = f"/api/v1/persons/{person.pk}/"
        return response


class PersonDetailApi(APIView):
    permission_classes = [requires_capability(Capability.VIEW_CHILDREN)]

    def _person(self, request: Request, pk: int) -> Person:
        person = selectors.person_for_actor(actor=api_actor(request), pk=pk)
        if person is None:
            audit.record(
                action="person.denied",
                actor=api_actor(request),
                person_id=pk,
                details={"via": "api"},
            )
            raise NotFoundError("There is no such person you may see.")
        return person

    @extend_schema(responses=PersonSerializer)
    def get(self, request: Request, pk: int) -> Response:
        person = self._person(request, pk)
        audit.record(
            action="person.viewed",
            actor=api_actor(request),
            target=person,
            person_id=pk,
            details={"via": "api"},
        )
        return with_etag(PersonSerializer(person).data, person.version)

    @extend_schema(
        request=PersonUpdateSerializer,
        responses=PersonSerializer,
        parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=True)],
    )
    def patch(self, request: Request, pk: int) -> Response:
        actor = api_actor(request)
        self._person(request, pk)
        expected = version_from_if_match(request)
        serializer = PersonUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        person = services.update_person(
            actor=actor,
            person_id=pk,
            expected_version=expected,
            changes=dict(serializer.validated_data),
        )
        fresh = selectors.person_for_actor(actor=actor, pk=person.pk)
        return with_etag(PersonSerializer(fresh).data, person.version)
