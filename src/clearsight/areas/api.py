"""/api/v1/agencies/ and /api/v1/memberships/."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clearsight.access.policy import area_agencies, visible_memberships
from clearsight.areas.models import Agency, Membership
from clearsight.core.api import Pagination, api_actor


class AgencySerializer(serializers.ModelSerializer[Agency]):
    class Meta:
        model = Agency
        fields = ["id", "name", "agency_type", "is_active"]


class MembershipSerializer(serializers.ModelSerializer[Membership]):
    agency = AgencySerializer(read_only=True)
    user_name = serializers.CharField(source="user.full_name", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "user_name", "agency", "role", "created_at", "ended_at"]


class AgencyListApi(APIView):
    @extend_schema(responses=AgencySerializer(many=True))
    def get(self, request: Request) -> Response:
        paginator = Pagination()
        agencies = area_agencies(api_actor(request))
        page = paginator.paginate_queryset(agencies, request, view=self)
        return paginator.get_paginated_response(AgencySerializer(page, many=True).data)


class MembershipListApi(APIView):
    @extend_schema(responses=MembershipSerializer(many=True))
    def get(self, request: Request) -> Response:
        paginator = Pagination()
        memberships = visible_memberships(api_actor(request))
        page = paginator.paginate_queryset(memberships, request, view=self)
        return paginator.get_paginated_response(MembershipSerializer(page, many=True).data)
