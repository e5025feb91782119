"""Missing episodes, police risk grading history and Return Home Interviews."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import ArrayField, DateTimeRangeField, RangeOperators
from django.db import models
from django.db.models import Func, Q
from django.db.models.functions import Lower, Trim

from clearsight.missing.rhi_states import State


class EpisodeKind(models.TextChoices):
    # SSDA903 MISSING codes.
    MISSING = "M", "Missing"
    AWAY = "A", "Away from placement without authorisation"


class RiskGrading(models.TextChoices):
    NO_APPARENT_RISK = "no_apparent_risk", "No apparent risk"
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


class MissingEpisode(models.Model):
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="missing_episodes"
    )
    kind = models.CharField(max_length=1, choices=EpisodeKind.choices, default=EpisodeKind.MISSING)
    reported_at = models.DateTimeField()
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reporting_membership = models.ForeignKey(
        "areas.Membership", on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(help_text="When the child was last seen")
    last_seen_place = models.CharField(max_length=300, blank=True)
    last_seen_with = models.CharField(max_length=300, blank=True)
    clothing = models.CharField(max_length=500, blank=True)
    police_reference = models.CharField(max_length=60, blank=True)
    risk_grading = models.CharField(max_length=20, choices=RiskGrading.choices, blank=True)
    ended_at = models.DateTimeField(
        null=True, blank=True, help_text="When the child returned or was found"
    )
    found_place = models.CharField(max_length=300, blank=True)
    found_with = models.CharField(max_length=300, blank=True)
    found_out_of_area = models.BooleanField(default=False)
    found_area_name = models.CharField(max_length=200, blank=True)
    # The Clearsight area the child was found in, when it is one of ours: that area's
    # users may record the return, and the home area is alerted.
    found_area = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    how_returned = models.CharField(max_length=300, blank=True)
    harm_noticed = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            # The live board: children missing now, longest missing first.
            models.Index(
                fields=["started_at"], condition=Q(ended_at__isnull=True), name="episode_open"
            ),
            # Places where other children were found (missing/selectors.concerns_for).
            # found_place is carried in the index so that PostgreSQL answers the
            # lower(trim(found_place)) look-ups from the index alone (it plans an
            # index-only scan of an expression only when the expression's column is in
            # the index too). Counting a common place's first 2,000 episodes then reads
            # 24 index pages instead of 2,000 rows of the table: national scale, a child
            # found at 6 places, 20 ms to 6 ms in PostgreSQL.
            models.Index(
                Lower(Trim("found_place")),
                "person",
                include=["found_place"],
                name="episode_found_place",
            ),
            # The live board, from the children the actor may see: each open episode
            # under its child, with the columns the board shows, so PostgreSQL joins it
            # to the area's children from this index alone. Read through episode_open,
            # the board fetched every open episode in the country from the table and
            # looked up each one's child to keep the area's: national scale, 4,000
            # episodes to keep 700, 27,000 buffers and about 25 ms in PostgreSQL.
            models.Index(
                fields=["person"],
                include=[
                    "id",
                    "started_at",
                    "kind",
                    "last_seen_place",
                    "risk_grading",
                    "reporting_membership",
                ],
                condition=Q(ended_at__isnull=True),
                name="open_episode_of_child",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="episode_ends_after_it_starts",
            ),
            # One child cannot be missing twice at once (DfE validation: episodes of one
            # child may not overlap). '[)' lets an "away" that becomes "missing" meet at
            # one instant. The child comes first: each check then looks only at that
            # child's episodes (with the time range first, building it for 2,000,000
            # episodes took 747 s against 147 s; decision 0006).
            ExclusionConstraint(
                name="episodes_of_a_child_do_not_overlap",
                expressions=[
                    ("person", RangeOperators.EQUAL),
                    (
                        TsTzRange("started_at", "ended_at", models.Value("[)")),
                        RangeOperators.OVERLAPS,
                    ),
                ],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} episode {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None


class RiskGradingChange(models.Model):
    episode = models.ForeignKey(
        MissingEpisode, on_delete=models.CASCADE, related_name="grading_history"
    )
    grading = models.CharField(max_length=20, choices=RiskGrading.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["changed_at"]

    def __str__(self) -> str:
        return f"{self.get_grading_display()} at {self.changed_at:%Y-%m-%d %H:%M}"


class RhiState(models.TextChoices):
    # The moves between these live in missing/rhi_states.py.
    TO_OFFER = State.TO_OFFER.value, "To offer"
    OFFERED = State.OFFERED.value, "Offered"
    ACCEPTED = State.ACCEPTED.value, "Accepted"
    DECLINED = State.DECLINED.value, "Declined"
    COMPLETED = State.COMPLETED.value, "Completed"
    NOT_COMPLETED = State.NOT_COMPLETED.value, "Not completed"


class ReturnHomeInterview(models.Model):
    episode = models.OneToOneField(
        MissingEpisode, on_delete=models.PROTECT, related_name="return_interview"
    )
    due_at = models.DateTimeField()
    state = models.CharField(max_length=20, choices=RhiState.choices, default=RhiState.TO_OFFER)
    worker = models.ForeignKey(
        "areas.Membership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="return_interviews",
    )
    offered_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=500, blank=True, help_text="Why declined or not completed")
    # The interview itself, recorded when completed.
    held_on = models.DateField(null=True, blank=True)
    where_child_was = models.TextField(blank=True)
    who_with = models.TextField(blank=True)
    what_happened = models.TextField(blank=True)
    push_factors = models.TextField(blank=True, help_text="What made the child leave")
    pull_factors = models.TextField(blank=True, help_text="What drew the child away")
    harm = models.TextField(blank=True)
    childs_words = models.TextField(blank=True, help_text="The child's own words and wishes")
    disclosure_codes = ArrayField(
        models.CharField(max_length=20),
        default=list,
        blank=True,
        help_text="Indicator codes ticked as disclosed; each became an observation",
    )
    disclosure_notes = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=RhiState.values), name="rhi_state_valid"),
        ]

    def __str__(self) -> str:
        return f"Return home interview for episode {self.episode_id}"


class PhilomenaProfile(models.Model):
    """Part 1 of the Philomena Protocol form, prepared before a child goes missing.

    One per child, held against the person rather than their placement, so that the
    form moves with the child when the placement changes (Philomena Protocol guidance:
    carers keep it up to date and hand it to police when the child is reported missing).
    Part 2 (clothing, when and where last seen) is the open MissingEpisode."""

    person = models.OneToOneField(
        "people.Person", on_delete=models.PROTECT, related_name="philomena_profile"
    )
    height = models.CharField(max_length=60, blank=True)
    build = models.CharField(max_length=100, blank=True)
    hair = models.CharField(max_length=200, blank=True)
    eyes = models.CharField(max_length=100, blank=True)
    distinguishing_features = models.TextField(
        blank=True, help_text="Scars, marks, tattoos, piercings, glasses"
    )
    general_description = models.TextField(blank=True)
    friends_and_associates = models.TextField(blank=True)
    places_they_go = models.TextField(blank=True)
    # E.164, validated with clearsight.people.identifiers.normalise_phone.
    phone_numbers = ArrayField(models.CharField(max_length=20), default=list, blank=True)
    social_media = models.TextField(blank=True, help_text="Platforms and handles")
    medical_needs = models.TextField(blank=True)
    medication = models.TextField(blank=True)
    bank_and_travel_cards = models.TextField(blank=True)
    languages = models.CharField(max_length=300, blank=True)
    other_information = models.TextField(blank=True, help_text="Anything else police should know")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"Philomena Protocol form for person {self.person_id}"


PHILOMENA_PHOTO_MAX_BYTES = 5 * 1024 * 1024


class PhilomenaPhotoType(models.TextChoices):
    JPEG = "image/jpeg", "JPEG"
    PNG = "image/png", "PNG"


class PhilomenaPhoto(models.Model):
    """An up-to-date photo of the child for police. Kept in PostgreSQL, never on a
    public media URL; the most recently uploaded photo is the current one."""

    profile = models.ForeignKey(PhilomenaProfile, on_delete=models.PROTECT, related_name="photos")
    image = models.BinaryField()
    content_type = models.CharField(max_length=20, choices=PhilomenaPhotoType.choices)
    size = models.PositiveIntegerField()
    taken_on = models.DateField(null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(content_type__in=PhilomenaPhotoType.values),
                name="philomena_photo_is_jpeg_or_png",
            ),
            models.CheckConstraint(
                condition=Q(size__gt=0) & Q(size__lte=PHILOMENA_PHOTO_MAX_BYTES),
                name="philomena_photo_at_most_5mb",
            ),
        ]

    def __str__(self) -> str:
        return f"Photo {self.pk} on Philomena Protocol form {self.profile_id}"
