"""Concerns about a child (from the public, professionals and the helpline), the
append-only history of how each was triaged, helpline contacts, and the small table of
recent public submissions that the rate limit counts.

Rules that touch several models (routing to an area, outcomes, consent) live in
``concerns.services``; the database enforces the invariants below."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone

# Size limits: generous for what a person types, small enough that nobody can store a
# megabyte of text through a public form.
WHAT_SEEN_MAX = 5000
DESCRIPTION_MAX = 2000
WHERE_MAX = 500
NAME_MAX = 200
REASON_MAX = 2000

# A point picked on the public form's map must fall in a box round the UK (with the Isle
# of Man and the Channel Islands): a point outside it is a slip of the finger, and a
# concern about somewhere abroad is for that country's services.
LATITUDE_RANGE = (49.0, 61.0)
LONGITUDE_RANGE = (-9.0, 2.5)


class ConcernSource(models.TextChoices):
    PUBLIC = "public", "Member of the public or sector staff"
    PROFESSIONAL = "professional", "Professional"
    HELPLINE = "helpline", "Helpline"


class Sector(models.TextChoices):
    """Where the person who saw it works (Look Closer sectors); blank when not given."""

    TRANSPORT = "transport", "Transport: buses, trains, coaches and stations"
    RETAIL = "retail", "Shops and fast food"
    HOTELS = "hotels", "Hotels and short stays"
    BANKING = "banking", "Banks and money services"
    TAXI_DELIVERY = "taxi_delivery", "Taxis and delivery"
    OTHER_WORK = "other_work", "Somewhere else"


class ConcernState(models.TextChoices):
    NEW = "new", "New"
    IN_TRIAGE = "in_triage", "In triage"
    AWAITING_INFORMATION = "awaiting_information", "Waiting for more information"
    CLOSED = "closed", "Closed"


OPEN_STATES = (ConcernState.NEW, ConcernState.IN_TRIAGE, ConcernState.AWAITING_INFORMATION)


class Outcome(models.TextChoices):
    NO_FURTHER_ACTION = "no_further_action", "No further action"
    OBSERVATION_RECORDED = "observation_recorded", "Observation recorded"
    REFERRAL = "referral", "Referral made"
    PASSED_TO_POLICE = "passed_to_police", "Passed to police"
    MORE_INFORMATION_REQUESTED = "more_information_requested", "More information requested"


class Concern(models.Model):
    reference = models.CharField(max_length=12, unique=True)
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="concerns")
    source = models.CharField(max_length=20, choices=ConcernSource.choices)
    sector = models.CharField(max_length=20, choices=Sector.choices, blank=True)
    what_seen = models.TextField()
    where_seen = models.CharField(max_length=WHERE_MAX, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    # Where the reporter dropped a pin on the map (public form, JavaScript on); both or
    # neither. Five decimal places is about a metre.
    latitude = models.DecimalField(max_digits=7, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    seen_on = models.DateField()
    seen_time = models.TimeField(null=True, blank=True)
    description = models.TextField(
        blank=True, help_text="What the young person or people look like"
    )
    sign_codes = ArrayField(models.CharField(max_length=20), default=list, blank=True)
    is_child_in_danger_now = models.BooleanField(default=False)
    reporter_name = models.CharField(max_length=NAME_MAX, blank=True)
    reporter_email = models.EmailField(blank=True)
    reporter_phone = models.CharField(max_length=30, blank=True)
    has_consent_to_contact = models.BooleanField(default=False)
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="concerns"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    raised_by_membership = models.ForeignKey(
        "areas.Membership", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    state = models.CharField(max_length=30, choices=ConcernState.choices, default=ConcernState.NEW)
    assigned_to = models.ForeignKey(
        "areas.Membership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_concerns",
    )
    outcome = models.CharField(max_length=40, choices=Outcome.choices, blank=True)
    outcome_reason = models.TextField(blank=True)
    # The first outcome decided: "time to triage" runs from created_at to here.
    triaged_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # Issued with the check-answers page or the form: a second submit of the same page
    # (a double click, a retry) finds this concern instead of making another.
    submission_key = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-is_child_in_danger_now", "created_at", "pk"]
        indexes = [models.Index(fields=["area", "state", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(source__in=ConcernSource.values), name="concern_source_valid"
            ),
            models.CheckConstraint(
                condition=Q(state__in=ConcernState.values), name="concern_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(outcome__in=Outcome.values),
                name="concern_outcome_valid",
            ),
            models.CheckConstraint(
                condition=Q(sector="") | Q(sector__in=Sector.values), name="concern_sector_valid"
            ),
            models.CheckConstraint(condition=~Q(what_seen=""), name="concern_says_what_was_seen"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(
                    # Not null, or a half-given point would pass (a NULL check passes).
                    latitude__isnull=False,
                    longitude__isnull=False,
                    latitude__gte=LATITUDE_RANGE[0],
                    latitude__lte=LATITUDE_RANGE[1],
                    longitude__gte=LONGITUDE_RANGE[0],
                    longitude__lte=LONGITUDE_RANGE[1],
                ),
                name="concern_map_point_in_uk",
            ),
            models.CheckConstraint(
                condition=~Q(state=ConcernState.CLOSED)
                | (~Q(outcome="") & Q(closed_at__isnull=False)),
                name="concern_closed_has_outcome",
            ),
            models.CheckConstraint(
                condition=Q(source=ConcernSource.PUBLIC) | Q(raised_by__isnull=False),
                name="concern_staff_source_has_author",
            ),
            models.CheckConstraint(
                condition=Q(has_consent_to_contact=False)
                | ~Q(reporter_email="")
                | ~Q(reporter_phone=""),
                name="concern_consent_has_contact_details",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class DecisionKind(models.TextChoices):
    ASSIGNED = "assigned", "Assigned"
    LINKED = "linked", "Linked to a person"
    OBSERVATIONS_RECORDED = "observations_recorded", "Observations recorded"
    OUTCOME = "outcome", "Outcome decided"


class TriageDecision(models.Model):
    """One step in a concern's triage: who did what, when and why. Append-only
    (PostgreSQL refuses UPDATE and DELETE, migration 0002)."""

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(max_length=30, choices=DecisionKind.choices)
    outcome = models.CharField(max_length=40, choices=Outcome.choices, blank=True)
    reason = models.TextField(blank=True)
    assigned_to = models.ForeignKey(
        "areas.Membership", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    details = models.JSONField(default=dict, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    membership = models.ForeignKey("areas.Membership", on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["decided_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=DecisionKind.values), name="decision_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(kind=DecisionKind.OUTCOME) | (~Q(outcome="") & ~Q(reason="")),
                name="decision_outcome_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.concern}"


class Channel(models.TextChoices):
    CALL = "call", "Phone call"
    CHAT = "chat", "Web chat"


class CallerType(models.TextChoices):
    CHILD = "child", "Child or young person"
    PARENT_CARER = "parent_carer", "Parent or carer"
    PROFESSIONAL = "professional", "Professional"
    OTHER = "other", "Someone else"


class Topic(models.TextChoices):
    MISSING = "missing", "Going missing or staying out"
    DRUGS = "drugs", "Drugs or ‘county lines’"
    MONEY_DEBT = "money_debt", "Money, gifts or debt"
    PHONES_ONLINE = "phones_online", "Phones or online"
    VIOLENCE = "violence", "Violence, threats or weapons"
    OLDER_PEOPLE = "older_people", "Older people or groups"
    HOME_TAKEN_OVER = "home_taken_over", "Home taken over (cuckooing)"
    SEXUAL_HARM = "sexual_harm", "Sexual harm"
    OTHER = "other", "Something else"


class RiskSeen(models.TextChoices):
    NONE = "none", "No risk seen"
    SOME = "some", "Some signs of risk"
    SERIOUS = "serious", "Serious risk"
    DANGER_NOW = "danger_now", "Child in danger now"


class HelplineContact(models.Model):
    """A call or chat to the helpline. With the caller's consent it becomes a concern in
    the triage queue of the area the child is in; without it, it stays here and counts
    only in anonymous figures."""

    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    membership = models.ForeignKey("areas.Membership", on_delete=models.PROTECT, related_name="+")
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    caller_type = models.CharField(max_length=20, choices=CallerType.choices)
    is_anonymous = models.BooleanField(default=False)
    caller_name = models.CharField(max_length=NAME_MAX, blank=True)
    caller_contact = models.CharField(max_length=200, blank=True)
    topics = ArrayField(models.CharField(max_length=20), default=list, blank=True)
    what_was_said = models.TextField()
    where_child_is = models.CharField(max_length=WHERE_MAX, blank=True)
    child_description = models.TextField(blank=True)
    risk_seen = models.CharField(max_length=20, choices=RiskSeen.choices)
    advice_given = models.TextField(blank=True)
    has_consent_to_share = models.BooleanField(default=False)
    concern = models.OneToOneField(
        Concern, on_delete=models.PROTECT, null=True, blank=True, related_name="helpline_contact"
    )
    contacted_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now)
    submission_key = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-contacted_at", "-pk"]
        indexes = [models.Index(fields=["area", "contacted_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="helpline_channel_valid"
            ),
            models.CheckConstraint(
                condition=Q(caller_type__in=CallerType.values), name="helpline_caller_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(risk_seen__in=RiskSeen.values), name="helpline_risk_seen_valid"
            ),
            models.CheckConstraint(
                condition=Q(concern__isnull=True) | Q(has_consent_to_share=True),
                name="helpline_concern_needs_consent",
            ),
            models.CheckConstraint(
                condition=Q(is_anonymous=False) | (Q(caller_name="") & Q(caller_contact="")),
                name="helpline_anonymous_has_no_name",
            ),
            models.CheckConstraint(
                condition=~Q(what_was_said=""), name="helpline_says_what_was_said"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} on {self.contacted_at:%d %b %Y %H:%M}"


class PublicSubmission(models.Model):
    """One public concern accepted, by a keyed hash of the sender's address (never the
    address itself), for the per-address and global rate limits. Rows older than a day
    are purged by concerns/tasks.py."""

    ip_hash = models.CharField(max_length=64, db_index=True)
    submitted_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"Public submission at {self.submitted_at:%Y-%m-%d %H:%M}"
