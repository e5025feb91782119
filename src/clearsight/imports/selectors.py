from __future__ import annotations

from django.db.models import QuerySet

from clearsight.access.actor import Actor
from clearsight.access.policy import can
from clearsight.access.roles import Capability
from clearsight.imports.models import ImportJob


def area_imports(*, actor: Actor) -> QuerySet[ImportJob]:
    if not can(actor, Capability.IMPORT_RECORDS):
        return ImportJob.objects.none()
    return ImportJob.objects.filter(agency__area_id=actor.area_id).select_related(
        "agency", "created_by"
    )
