"""Intelligence entities and the links between them: deal-line phone numbers, addresses
(possible cuckooing), vehicles, named lines or networks, and typed, dated, graded links.

Police officers and intelligence analysts only (``access.policy.visible_intel``).
Children appear here as people to protect: a link about a child is read as a risk to
that child, never as the child's offending."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class NodeKind(models.TextChoices):
    """What a link end may be: a person, an intelligence entity or a context."""

    PERSON = "person", "Person"
    PHONE = "phone", "Phone number"
    ADDRESS = "address", "Address"
    VEHICLE = "vehicle", "Vehicle"
    GROUP = "group", "Line or network"
    LOCATION = "location", "Place"
    PEER_GROUP = "peer_group", "Peer group"


class PhoneStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    CLOSED = "closed", "Closed"


class ClosureType(models.TextChoices):
    CLOSURE_ORDER = "closure_order", "Closed by a Drug Dealing Telecommunications Restriction Order"
    NETWORK_DISCONNECTED = "disconnected", "Disconnected by the network"
    HANDSET_SEIZED = "handset_seized", "Handset seized"
    DORMANT = "dormant", "Gone dormant"
    OTHER = "other", "Other"


class PhoneNumber(models.Model):
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    number = models.CharField(max_length=16, help_text="E.164, like +447700900982")
    is_deal_line = models.BooleanField(default=False)
    line_name = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=10, choices=PhoneStatus.choices, default="active")
    closure_type = models.CharField(max_length=20, choices=ClosureType.choices, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["area", "number"], name="phone_once_per_area"),
            models.CheckConstraint(
                condition=Q(number__regex=r"^\+[1-9][0-9]{6,14}$"), name="phone_is_e164"
            ),
            models.CheckConstraint(
                condition=(Q(status="active") & Q(closure_type="") & Q(closed_on__isnull=True))
                | (Q(status="closed") & ~Q(closure_type="")),
                name="phone_closure_only_when_closed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.line_name})" if self.line_name else self.number


class IntelAddress(models.Model):
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    line_1 = models.CharField(max_length=200)
    line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10)
    uprn = models.CharField(max_length=12, blank=True, help_text="Unique Property Reference")
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    # Cuckooing: the home of a vulnerable adult taken over to deal from. The resident is
    # a person to protect, recorded as such.
    is_cuckooing_concern = models.BooleanField(default=False)
    vulnerable_resident = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["postcode", "line_1"]
        constraints = [
            models.CheckConstraint(
                condition=Q(uprn="") | Q(uprn__regex=r"^[0-9]{1,12}$"), name="address_uprn_digits"
            ),
            models.CheckConstraint(
                condition=Q(vulnerable_resident__isnull=True) | Q(is_cuckooing_concern=True),
                name="address_resident_only_with_cuckooing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line_1}, {self.postcode}"


class Vehicle(models.Model):
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    registration = models.CharField(max_length=10, help_text="Upper case, no spaces")
    make = models.CharField(max_length=60, blank=True)
    model = models.CharField(max_length=60, blank=True)
    colour = models.CharField(max_length=40, blank=True)
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["registration"]
        constraints = [
            models.UniqueConstraint(fields=["area", "registration"], name="vehicle_once_per_area"),
            models.CheckConstraint(
                condition=Q(registration__regex=r"^[A-Z0-9]{2,8}$"),
                name="vehicle_registration_normalised",
            ),
        ]

    def __str__(self) -> str:
        return self.registration


class GroupKind(models.TextChoices):
    LINE = "line", "Named line"
    NETWORK = "network", "Network"


class IntelGroup(models.Model):
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=GroupKind.choices, default=GroupKind.LINE)
    description = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="intel_group_name_once"),
            models.CheckConstraint(condition=~Q(name=""), name="intel_group_has_name"),
        ]

    def __str__(self) -> str:
        return self.name


class LinkType(models.TextChoices):
    USES_PHONE = "uses_phone", "Uses phone"
    LIVES_AT = "lives_at", "Lives at"
    SEEN_AT = "seen_at", "Seen at"
    ASSOCIATES_WITH = "associates_with", "Associates with"
    # Said of a person of concern: the other end (often a child) is at risk from them.
    SUSPECTED_OF_EXPLOITING = "suspected_of_exploiting", "Suspected of exploiting"
    CONTROLS_LINE = "controls_line", "Controls line"
    TRAVELLED_WITH = "travelled_with", "Travelled with"
    FOUND_WITH_WHILE_MISSING = "found_with_while_missing", "Found with during a missing episode"
    FOUND_AT_WHILE_MISSING = "found_at_while_missing", "Found at during a missing episode"
    CONTACTED = "contacted", "Calls or messages"
    MEMBER_OF = "member_of", "Part of line or network"
    USES_VEHICLE = "uses_vehicle", "Uses vehicle"


class SourceEvaluation(models.TextChoices):
    """The UK 3x5x2 intelligence grading (College of Policing APP, 2016)."""

    RELIABLE = "1", "1 – Reliable"
    UNTESTED = "2", "2 – Untested"
    NOT_RELIABLE = "3", "3 – Not reliable"


class IntelligenceAssessment(models.TextChoices):
    KNOWN_DIRECTLY = "A", "A – Known directly to the source"
    KNOWN_INDIRECTLY_CORROBORATED = "B", "B – Known indirectly, corroborated"
    KNOWN_INDIRECTLY = "C", "C – Known indirectly"
    NOT_KNOWN = "D", "D – Not known"
    SUSPECTED_FALSE = "E", "E – Suspected to be false"


class HandlingCode(models.TextChoices):
    PERMITTED = "P", "P – Lawful sharing permitted"
    CONDITIONS = "C", "C – Lawful sharing permitted with conditions"


class ReviewStatus(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"
    PROPOSED = "proposed", "Proposed, waiting for an analyst"
    REJECTED = "rejected", "Rejected"


class ProposedFrom(models.TextChoices):
    RECORDED = "recorded", "Recorded by an officer or analyst"
    MISSING_EPISODE = "missing_episode", "Missing episode (found at or with)"
    RETURN_INTERVIEW = "return_interview", "Return home interview disclosure"
    PHONE_DATA = "phone_data", "Phone data import"


class Link(models.Model):
    """A typed, dated, graded link between two nodes, each a (kind, id) pair. Links
    proposed from missing episodes, interviews or phone data wait for an analyst's
    review and are never shown as fact until accepted."""

    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    from_kind = models.CharField(max_length=12, choices=NodeKind.choices)
    from_id = models.BigIntegerField()
    to_kind = models.CharField(max_length=12, choices=NodeKind.choices)
    to_id = models.BigIntegerField()
    link_type = models.CharField(max_length=30, choices=LinkType.choices)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=300)
    source_evaluation = models.CharField(max_length=1, choices=SourceEvaluation.choices)
    intelligence_assessment = models.CharField(max_length=1, choices=IntelligenceAssessment.choices)
    handling_code = models.CharField(max_length=1, choices=HandlingCode.choices)
    # For links built from phone data: how many calls and messages, first and last.
    contact_count = models.PositiveIntegerField(default=0)
    review_status = models.CharField(
        max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.ACCEPTED
    )
    proposed_from = models.CharField(
        max_length=20, choices=ProposedFrom.choices, default=ProposedFrom.RECORDED
    )
    proposed_ref = models.CharField(max_length=100, blank=True)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-recorded_at", "pk"]
        indexes = [
            # The graph queries walk both ways from a node: each index covers the other end.
            models.Index(
                fields=["from_kind", "from_id"],
                include=["to_kind", "to_id", "link_type", "review_status"],
                name="link_from_node",
            ),
            models.Index(
                fields=["to_kind", "to_id"],
                include=["from_kind", "from_id", "link_type", "review_status"],
                name="link_to_node",
            ),
            models.Index(fields=["area", "review_status"], name="link_area_review"),
            # The network snapshot reads, per area, the accepted links added and the
            # links reviewed since it was taken (decision 0010); proposed links that
            # a phone data import has just written are not in these indexes.
            models.Index(
                fields=["area", "id"],
                condition=Q(review_status="accepted"),
                name="link_accepted_by_id",
            ),
            models.Index(
                fields=["area", "recorded_at"],
                condition=Q(review_status="accepted"),
                name="link_accepted_recorded_at",
            ),
            models.Index(
                fields=["area", "reviewed_at"],
                condition=Q(reviewed_at__isnull=False),
                name="link_area_reviewed_at",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~(Q(from_kind=F("to_kind")) & Q(from_id=F("to_id"))),
                name="link_not_to_itself",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=F("valid_from")),
                name="link_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(source_evaluation__in=SourceEvaluation.values)
                & Q(intelligence_assessment__in=IntelligenceAssessment.values)
                & Q(handling_code__in=HandlingCode.values),
                name="link_grading_3x5x2",
            ),
            models.CheckConstraint(
                condition=Q(from_kind__in=NodeKind.values) & Q(to_kind__in=NodeKind.values),
                name="link_node_kinds_valid",
            ),
            models.CheckConstraint(
                condition=Q(link_type__in=LinkType.values), name="link_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(review_status__in=ReviewStatus.values), name="link_review_valid"
            ),
            # One link per pair of numbers per import: each batch of a phone data import
            # adds its counts to the link with INSERT ... ON CONFLICT.
            models.UniqueConstraint(
                fields=[
                    "area",
                    "from_kind",
                    "from_id",
                    "to_kind",
                    "to_id",
                    "link_type",
                    "proposed_ref",
                ],
                condition=Q(proposed_from="phone_data"),
                name="phone_data_link_once_per_import",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_kind}:{self.from_id} {self.link_type} {self.to_kind}:{self.to_id}"

    @property
    def grading(self) -> str:
        return f"{self.source_evaluation}{self.intelligence_assessment}{self.handling_code}"


class PhoneImportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Reading the file"
    DONE = "done", "Finished"
    FAILED = "failed", "Not imported"


class PhoneDataImport(models.Model):
    """One file of call and message records, read in a background job in a stream."""

    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(max_length=255)
    stored_path = models.CharField(max_length=500)
    source = models.CharField(max_length=300, help_text="Where the records came from")
    status = models.CharField(
        max_length=10, choices=PhoneImportStatus.choices, default=PhoneImportStatus.QUEUED
    )
    total_bytes = models.BigIntegerField(default=0)
    processed_bytes = models.BigIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    bad_rows = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True)
    links_made = models.PositiveIntegerField(default=0)
    likely_deal_lines = models.JSONField(default=list, blank=True)
    summary = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_by_membership = models.ForeignKey(
        "areas.Membership", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Phone data {self.pk} ({self.file_name})"

    @property
    def is_finished(self) -> bool:
        return self.status in (PhoneImportStatus.DONE, PhoneImportStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.is_finished:
            return 100
        return int(100 * self.processed_bytes / self.total_bytes) if self.total_bytes else 0
