"""Contexts as subjects (contextual safeguarding): the places, peer groups and schools
where children are harmed or kept safe.

Contexts are safeguarding data, not intelligence: the front-line roles of an area see
them. Reads go through ``access.policy.visible_locations`` / ``visible_peer_groups``;
writes through ``contexts.services``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class LocationType(models.TextChoices):
    PARK = "park", "Park or open space"
    STATION = "station", "Station or transport hub"
    SHOP = "shop", "Shop"
    TAKEAWAY = "takeaway", "Takeaway or café"
    HOTEL = "hotel", "Hotel or short-stay let"
    SCHOOL = "school", "School"
    ADDRESS = "address", "Address"
    OTHER = "other", "Other place"


class Location(models.Model):
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    location_type = models.CharField(max_length=20, choices=LocationType.choices)
    description = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    # A school is a context too: the agency record it stands for, when there is one.
    school = models.ForeignKey(
        "areas.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["area", "location_type"])]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="location_has_name"),
            models.CheckConstraint(
                condition=Q(location_type__in=LocationType.values), name="location_type_valid"
            ),
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (
                    Q(latitude__gte=-90)
                    & Q(latitude__lte=90)
                    & Q(longitude__gte=-180)
                    & Q(longitude__lte=180)
                ),
                name="location_coordinates_both_and_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class PeerGroup(models.Model):
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(name=""), name="peer_group_has_name")]

    def __str__(self) -> str:
        return self.name


class PeerGroupMembership(models.Model):
    """A child's membership of a peer group, dated: groups change and a child who left
    should not be tied to what the group does later."""

    peer_group = models.ForeignKey(PeerGroup, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    from_on = models.DateField()
    to_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["from_on", "pk"]
        indexes = [models.Index(fields=["person", "from_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_on__isnull=True) | Q(to_on__gte=F("from_on")),
                name="peer_membership_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.peer_group_id} from {self.from_on}"

    @property
    def is_current(self) -> bool:
        return self.to_on is None or self.to_on >= timezone.localdate()


class PlaceLinkType(models.TextChoices):
    SPENDS_TIME = "spends_time", "Spends time there"
    SEEN_AT = "seen_at", "Seen there"
    FOUND_WHILE_MISSING = "found_while_missing", "Found there while missing"
    LIVES_AT = "lives_at", "Lives there"
    ATTENDS = "attends", "Attends (school or club)"


class PersonPlace(models.Model):
    """A child linked to a place, as safeguarding information (not intelligence)."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="people")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    link_type = models.CharField(max_length=30, choices=PlaceLinkType.choices)
    from_on = models.DateField()
    to_on = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-from_on", "pk"]
        indexes = [models.Index(fields=["person", "from_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_on__isnull=True) | Q(to_on__gte=F("from_on")),
                name="person_place_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(link_type__in=PlaceLinkType.values), name="person_place_type_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.link_type} {self.location_id}"


def _one_context() -> Q:
    return (Q(location__isnull=False) & Q(peer_group__isnull=True)) | (
        Q(location__isnull=True) & Q(peer_group__isnull=False)
    )


class ContextNoteKind(models.TextChoices):
    CONCERN = "concern", "Concern"
    OBSERVATION = "observation", "Observation"
    INCIDENT = "incident", "Incident"


class ContextNote(models.Model):
    """A concern, observation or incident about a place or a peer group."""

    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, related_name="notes"
    )
    peer_group = models.ForeignKey(
        PeerGroup, on_delete=models.CASCADE, null=True, blank=True, related_name="notes"
    )
    kind = models.CharField(max_length=20, choices=ContextNoteKind.choices)
    seen_on = models.DateField()
    text = models.TextField()
    agency = models.ForeignKey("areas.Agency", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    membership = models.ForeignKey("areas.Membership", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-seen_on", "-created_at", "pk"]
        indexes = [models.Index(fields=["location", "seen_on"])]
        constraints = [
            models.CheckConstraint(condition=_one_context(), name="context_note_one_subject"),
            models.CheckConstraint(
                condition=Q(kind__in=ContextNoteKind.values), name="context_note_kind_valid"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="context_note_has_text"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} on {self.seen_on}"


class ResponsibleKind(models.TextChoices):
    TRANSPORT_OPERATOR = "transport_operator", "Transport operator"
    BUSINESS_OWNER = "business_owner", "Shop or business owner"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    SCHOOL = "school", "School"
    HOUSING_PROVIDER = "housing_provider", "Housing provider or landlord"
    POLICE = "police", "Police"
    OTHER = "other", "Other"


class ContextAssessment(models.Model):
    """What makes a place or peer group unsafe, who is responsible for it, and the plan
    (Contextual Safeguarding, University of Bedfordshire / Durham)."""

    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, related_name="assessments"
    )
    peer_group = models.ForeignKey(
        PeerGroup, on_delete=models.CASCADE, null=True, blank=True, related_name="assessments"
    )
    assessed_on = models.DateField()
    what_makes_it_unsafe = models.TextField()
    what_keeps_children_safe = models.TextField(blank=True)
    responsible_kind = models.CharField(max_length=30, choices=ResponsibleKind.choices)
    responsible_name = models.CharField(max_length=200)
    action_plan = models.TextField()
    review_on = models.DateField(null=True, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    membership = models.ForeignKey("areas.Membership", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=_one_context(), name="context_assessment_one_subject"),
            models.CheckConstraint(
                condition=Q(review_on__isnull=True) | Q(review_on__gte=F("assessed_on")),
                name="context_assessment_review_after",
            ),
        ]

    def __str__(self) -> str:
        return f"Assessment on {self.assessed_on}"


class ContextAgendaEntry(models.Model):
    """Ties a MACE agenda item about a place or peer group to the context record (the
    extension point named in cases.AgendaItem)."""

    agenda_item = models.OneToOneField(
        "cases.AgendaItem", on_delete=models.CASCADE, related_name="context_entry"
    )
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, null=True, blank=True, related_name="agenda_entries"
    )
    peer_group = models.ForeignKey(
        PeerGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="agenda_entries"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=_one_context(), name="context_agenda_one_subject"),
        ]

    def __str__(self) -> str:
        return f"Agenda item {self.agenda_item_id}"
