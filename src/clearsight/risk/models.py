"""The indicator library (versioned, national or per area), observations of indicators
about a child, protective factors, and screenings.

A published library version is read-only: services refuse to change it, and PostgreSQL
refuses too (migration 0003). Screenings record the version they used."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from clearsight.risk.engine import LEVEL_LABELS, Level

NOTE_MAX = 500


class Category(models.TextChoices):
    MISSING_AND_LOCATION = "missing_and_location", "Missing and location"
    EDUCATION = "education", "Education"
    MONEY_AND_POSSESSIONS = "money_and_possessions", "Money and possessions"
    PHONES_AND_ONLINE = "phones_and_online", "Phones and online"
    RELATIONSHIPS = "relationships", "Relationships and associates"
    PHYSICAL_HARM = "physical_harm", "Physical harm"
    BEHAVIOUR_AND_WELLBEING = "behaviour_and_wellbeing", "Behaviour and emotional wellbeing"
    DRUGS_AND_WEAPONS = "drugs_and_weapons", "Drugs and weapons"
    CRIMINAL_JUSTICE = "criminal_justice", "Criminal justice"
    HOME_AND_HOUSING = "home_and_housing", "Home and housing"


class RiskLevel(models.TextChoices):
    NONE = Level.NONE.value, LEVEL_LABELS[Level.NONE]
    LOW = Level.LOW.value, LEVEL_LABELS[Level.LOW]
    MEDIUM = Level.MEDIUM.value, LEVEL_LABELS[Level.MEDIUM]
    HIGH = Level.HIGH.value, LEVEL_LABELS[Level.HIGH]


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class LibraryVersion(models.Model):
    """One version of the indicator library. ``area`` empty = the national library."""

    area = models.ForeignKey(
        "areas.Area",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicator_libraries",
    )
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    based_on = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    # Score cut-offs for each level and the recency rules: see risk/engine.py.
    low_threshold = models.DecimalField(max_digits=6, decimal_places=2)
    medium_threshold = models.DecimalField(max_digits=6, decimal_places=2)
    high_threshold = models.DecimalField(max_digits=6, decimal_places=2)
    half_life_days = models.PositiveIntegerField()
    lookback_days = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["area_id", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "number"], nulls_distinct=False, name="library_number_once"
            ),
            models.CheckConstraint(
                condition=Q(low_threshold__gt=0)
                & Q(medium_threshold__gt=models.F("low_threshold"))
                & Q(high_threshold__gt=models.F("medium_threshold")),
                name="library_thresholds_in_order",
            ),
            models.CheckConstraint(
                condition=Q(half_life_days__gt=0) & Q(lookback_days__gt=0),
                name="library_recency_positive",
            ),
            models.CheckConstraint(
                condition=Q(status=VersionStatus.DRAFT) | Q(published_at__isnull=False),
                name="library_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} version {self.number}"

    @property
    def is_published(self) -> bool:
        return self.status == VersionStatus.PUBLISHED


class Indicator(models.Model):
    version = models.ForeignKey(LibraryVersion, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    category = models.CharField(max_length=40, choices=Category.choices)
    weight = models.PositiveSmallIntegerField()
    looks_like = models.TextField(help_text="What this can look like")
    what_to_do = models.TextField(help_text="What to do")
    cin_factor = models.CharField(
        max_length=4, blank=True, help_text="Children in Need census assessment factor"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="indicator_code_once"),
            models.CheckConstraint(
                condition=Q(weight__gte=1) & Q(weight__lte=10), name="indicator_weight_1_to_10"
            ),
            models.CheckConstraint(
                condition=Q(category__in=Category.values), name="indicator_category_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class ProtectiveFactorKind(models.Model):
    """A protective factor a library version lists, for example "a trusted adult"."""

    version = models.ForeignKey(
        LibraryVersion, on_delete=models.CASCADE, related_name="protective_factor_kinds"
    )
    code = models.CharField(max_length=20)
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="protective_kind_once"),
        ]

    def __str__(self) -> str:
        return self.title


class ObservationSource(models.TextChoices):
    PROFESSIONAL = "professional", "Professional"
    RETURN_HOME_INTERVIEW = "return_home_interview", "Return home interview"
    CONCERN = "concern", "Concern"
    IMPORT = "import", "Import"


class Observation(models.Model):
    """One indicator seen about a child, by one professional of one agency, on one day."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="observations"
    )
    indicator_code = models.CharField(max_length=20)
    # The title at the time, so the record reads the same if the library is reworded.
    indicator_title = models.CharField(max_length=200)
    seen_on = models.DateField()
    confidence = models.PositiveSmallIntegerField(help_text="1 (unsure) to 5 (certain)")
    note = models.CharField(max_length=NOTE_MAX, blank=True)
    source = models.CharField(
        max_length=30, choices=ObservationSource.choices, default=ObservationSource.PROFESSIONAL
    )
    source_ref = models.CharField(
        max_length=100, blank=True, help_text="The record it came from, e.g. the RHI id"
    )
    agency = models.ForeignKey("areas.Agency", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    membership = models.ForeignKey("areas.Membership", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-seen_on", "-created_at", "pk"]
        indexes = [models.Index(fields=["person", "seen_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(confidence__gte=1) & Q(confidence__lte=5),
                name="observation_confidence_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(source__in=ObservationSource.values), name="observation_source_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_code} seen on {self.seen_on}"


class ProtectiveFactor(models.Model):
    """Something in the child's life that keeps them safer. It lowers the screening level
    only with a reason (engine.py), so the reason is required here too."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="protective_factors"
    )
    code = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    reason = models.CharField(max_length=NOTE_MAX)
    recorded_on = models.DateField()
    agency = models.ForeignKey("areas.Agency", on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    membership = models.ForeignKey("areas.Membership", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-recorded_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="protective_factor_has_reason"),
        ]

    def __str__(self) -> str:
        return self.title


class OverrideApproval(models.TextChoices):
    NOT_NEEDED = "not_needed", "Not needed"
    PENDING = "pending", "Waiting for approval"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class Screening(models.Model):
    """A point-in-time screening of one child. The computed part comes from engine.py;
    the final level is the computed one unless a professional overrode it with a reason
    (a downward override needs a manager's approval)."""

    # Indexed by (person, -created_at) below; a second index on person alone would only
    # slow the nightly recompute (decision 0011).
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="screenings", db_index=False
    )
    library_version = models.ForeignKey(
        LibraryVersion, on_delete=models.PROTECT, related_name="screenings"
    )
    as_of = models.DateField()
    computed_level = models.CharField(max_length=10, choices=RiskLevel.choices)
    score = models.DecimalField(max_digits=8, decimal_places=2)
    # [{code, title, weight, recency_multiplier, confidence_multiplier,
    #   corroboration_multiplier, contribution, sources: [{agency_id, seen_on}]}]
    factors = models.JSONField(default=list)
    protective_factors = models.JSONField(default=list)
    explanation = models.JSONField(default=list, help_text="Safeguards and notes that applied")
    final_level = models.CharField(max_length=10, choices=RiskLevel.choices)
    previous_level = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    # When the final level last rose (carried forward while it stays the same): the
    # triage officer's "rising risk" list.
    level_rose_at = models.DateTimeField(null=True, blank=True)
    override_level = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    override_reason = models.CharField(max_length=NOTE_MAX, blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    override_at = models.DateTimeField(null=True, blank=True)
    approval_status = models.CharField(
        max_length=20, choices=OverrideApproval.choices, default=OverrideApproval.NOT_NEEDED
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    is_current = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["person", "-created_at"]),
            # Few screenings are overridden: only those rows are indexed.
            models.Index(
                fields=["override_by"],
                condition=Q(override_by__isnull=False),
                name="screening_override_by",
            ),
            models.Index(
                fields=["approved_by"],
                condition=Q(approved_by__isnull=False),
                name="screening_approved_by",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(is_current=True), name="screening_one_current"
            ),
            models.CheckConstraint(
                condition=Q(override_level="") | ~Q(override_reason=""),
                name="screening_override_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(computed_level__in=RiskLevel.values)
                & Q(final_level__in=RiskLevel.values),
                name="screening_levels_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Screening {self.pk}: {self.get_final_level_display()}"

    @property
    def level(self) -> Level:
        return Level(self.final_level)
