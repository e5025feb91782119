"""REST API plumbing shared by every app's api.py: authentication that yields an Actor,
capability permissions, RFC 9457 problem responses, pagination and ETags."""

from __future__ import annotations

import logging
from typing import Any

from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView, exception_handler

from clearsight.access.actor import Actor
from clearsight.access.roles import Capability
from clearsight.core.errors import (
    DomainError,
    InvalidInput,
    NotFoundError,
    PermissionDeniedError,
    StaleVersionError,
)

logger = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"


def api_actor(request: Request) -> Actor:
    actor = getattr(request._request, "actor", None)
    if actor is None:
        raise exceptions.NotAuthenticated()
    return actor


def requires_capability(capability: Capability) -> type[BasePermission]:
    class HasCapability(BasePermission):
        message = "Your role cannot use this."

        def has_permission(self, request: Request, view: APIView) -> bool:
            actor = getattr(request._request, "actor", None)
            return actor is not None and actor.can(capability)

    HasCapability.__name__ = f"Requires_{capability.value}"
    return HasCapability


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def problem(
    status_code: int, title: str, detail: str = "", errors: list[dict[str, str]] | None = None
) -> Response:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status_code}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    return Response(body, status=status_code, content_type=PROBLEM_JSON)


def problem_response(status: int, title: str, errors: dict[str, str] | None = None) -> JsonResponse:
    """The same problem+json from a plain Django view (the pages' own scripts read it),
    with one error per field."""
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if errors:
        body["detail"] = " ".join(errors.values())
        body["errors"] = [{"field": name, "message": text} for name, text in errors.items()]
    return JsonResponse(body, status=status, content_type=PROBLEM_JSON)


def _field_errors(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    """Flatten DRF's nested error structure into [{"field": "a.b", "message": "..."}]."""
    if isinstance(detail, dict):
        out: list[dict[str, str]] = []
        for key, value in detail.items():
            name = (
                prefix if key == "non_field_errors" else (f"{prefix}.{key}" if prefix else str(key))
            )
            out.extend(_field_errors(value, name))
        return out
    if isinstance(detail, list):
        out = []
        for index, item in enumerate(detail):
            if isinstance(item, dict | list) and not all(isinstance(i, str) for i in item):
                out.extend(_field_errors(item, f"{prefix}[{index}]"))
            else:
                out.extend(_field_errors(item, prefix))
        return out
    return [{"field": prefix, "message": str(detail)}]


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every API error as RFC 9457 problem+json, field errors included."""
    if isinstance(exc, InvalidInput):
        errors = [{"field": f, "message": m} for f, m in exc.errors.items()]
        return problem(400, "Some of the data is not valid", exc.message, errors)
    if isinstance(exc, PermissionDeniedError):
        return problem(403, "Forbidden", exc.message)
    if isinstance(exc, NotFoundError | Http404):
        return problem(404, "Not found", str(exc) or "There is no such record you may see.")
    if isinstance(exc, StaleVersionError):
        return problem(412, "Precondition failed", exc.message)
    if isinstance(exc, DomainError):
        return problem(
            400 if exc.field else 409,
            "The request cannot be done",
            exc.message,
            [{"field": exc.field, "message": exc.message}] if exc.field else None,
        )
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        return problem(
            400,
            "Some of the data is not valid",
            "Check the fields listed in errors.",
            _field_errors(exc.detail),
        )
    detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
    title = {
        401: "Not signed in",
        403: "Forbidden",
        404: "Not found",
        405: "Method not allowed",
        412: "Precondition failed",
        428: "Precondition required",
        429: "Too many requests",
    }.get(response.status_code, "Error")
    result = problem(response.status_code, title, str(detail))
    for header in ("WWW-Authenticate", "Allow", "Retry-After"):
        if header in response:
            result[header] = response[header]
    return result


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The record has changed since you read it. Fetch it again, then retry."


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = "Send an If-Match header with the ETag you read, so no change is overwritten."


def etag_for(version: int) -> str:
    return f'"{version}"'


def with_etag(data: Any, version: int, status: int = 200) -> Response:
    """A response whose ETag is the record's version, for If-Match on the next write."""
    response = Response(data, status=status)
    response["ETag"] = etag_for(version)
    return response


def version_from_if_match(request: Request) -> int:
    header = request.META.get("HTTP_IF_MATCH", "").strip()
    if not header:
        raise PreconditionRequired()
    value = header.removeprefix("W/").strip('"')
    if not value.isdigit():
        raise PreconditionFailed("The If-Match header is not an ETag from this API.")
    return int(value)
