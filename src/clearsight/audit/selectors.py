from __future__ import annotations

from django.core.paginator import Page, Paginator

from clearsight.access.actor import Actor
from clearsight.access.policy import can
from clearsight.access.roles import Capability
from clearsight.audit.models import AuditEvent


def area_events(*, actor: Actor, page: int = 1, per_page: int = 50) -> Page[AuditEvent]:
    """The audit trail of the actor's area, newest first (data protection officers only)."""
    queryset = AuditEvent.objects.none()
    if can(actor, Capability.VIEW_AUDIT_LOG):
        queryset = AuditEvent.objects.filter(area_id=actor.area_id).select_related(
            "actor_user", "actor_membership__agency"
        )
    return Paginator(queryset, per_page).get_page(page)
