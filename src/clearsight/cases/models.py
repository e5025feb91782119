"""The multi-agency response to a child: referrals, the case (lead professional, plan,
notes, reviews, closure), MACE meetings with their agendas, decisions and actions, and
National Referral Mechanism (NRM) decisions.

The team around the child is ``people.TeamMember`` (so access follows it); a case adds
the lead professional and the plan. Workflows live in ``cases/services.py``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

TEXT_MAX = 2000
TITLE_MAX = 200


# --- Referrals ---------------------------------------------------------------------------


class ReferralService(models.TextChoices):
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care (MASH)"
    EARLY_HELP = "early_help", "Early help"
    YOUTH_SERVICE = "youth_service", "Youth service"
    SUBSTANCE_MISUSE = "substance_misuse", "Substance misuse service"
    MACE = "mace", "Multi-agency child exploitation (MACE) meeting"
    NRM = "nrm", "National Referral Mechanism (NRM)"
    HELPLINE_OR_VOLUNTARY = "helpline_or_voluntary", "Helpline or voluntary service"


# Services that work with children only: an adult is referred elsewhere (adult social
# care, adult substance misuse services). The NRM and helplines take adults too.
CHILDREN_ONLY_SERVICES = frozenset(
    {
        ReferralService.CHILDRENS_SOCIAL_CARE,
        ReferralService.EARLY_HELP,
        ReferralService.YOUTH_SERVICE,
        ReferralService.MACE,
    }
)


class ReferralStatus(models.TextChoices):
    SENT = "sent", "Sent"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    CLOSED = "closed", "Closed with an outcome"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Referral(models.Model):
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="referrals")
    service = models.CharField(max_length=30, choices=ReferralService.choices)
    reason = models.TextField()
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    referred_by_membership = models.ForeignKey(
        "areas.Membership", on_delete=models.PROTECT, related_name="+"
    )
    referred_at = models.DateTimeField(default=timezone.now)
    # What the referral rests on: the screening at the time and the observations chosen.
    screening = models.ForeignKey(
        "risk.Screening", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    observations = models.ManyToManyField("risk.Observation", blank=True, related_name="+")
    status = models.CharField(
        max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    status_changed_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    outcome_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-referred_at", "-pk"]
        indexes = [models.Index(fields=["person", "referred_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(service__in=ReferralService.values), name="referral_service_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReferralStatus.values), name="referral_status_valid"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="referral_has_reason"),
            models.CheckConstraint(
                condition=~Q(status=ReferralStatus.ACCEPTED) | Q(accepted_at__isnull=False),
                name="referral_accepted_has_date",
            ),
            models.CheckConstraint(
                condition=Q(outcome_on__isnull=True) | ~Q(outcome=""),
                name="referral_outcome_date_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"Referral {self.pk} to {self.get_service_display()}"


# --- Cases -------------------------------------------------------------------------------


class ClosureOutcome(models.TextChoices):
    RISK_REDUCED = "risk_reduced", "Risk reduced: plan achieved"
    STEPPED_DOWN = "stepped_down", "Stepped down to single-agency support"
    MOVED_AREA = "moved_area", "Moved to another area (case transferred)"
    TURNED_18 = "turned_18", "Turned 18: transition to adult services"
    OTHER = "other", "Other (say why)"


class Case(models.Model):
    """The multi-agency response for one child. At most one open case per child."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="cases")
    lead_professional = models.ForeignKey(
        "areas.Membership", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    review_every_weeks = models.PositiveSmallIntegerField(default=12)
    next_review_on = models.DateField()
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closure_outcome = models.CharField(max_length=30, choices=ClosureOutcome.choices, blank=True)
    closure_reason = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(closed_at__isnull=True), name="case_one_open"
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True)
                | (~Q(closure_outcome="") & ~Q(closure_reason="")),
                name="case_closure_has_outcome_and_reason",
            ),
            models.CheckConstraint(
                condition=Q(review_every_weeks__gte=1) & Q(review_every_weeks__lte=52),
                name="case_review_interval_sensible",
            ),
        ]

    def __str__(self) -> str:
        return f"Case {self.pk} for person {self.person_id}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    NOT_NEEDED = "not_needed", "No longer needed"
    CARRIED_OVER = "carried_over", "Carried over to the owner's agency"


OPEN_ACTION_STATES = (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS)


class PlanAction(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="actions")
    title = models.CharField(max_length=TITLE_MAX)
    owner = models.ForeignKey("areas.Membership", on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    outcome = models.TextField(blank=True)
    created_on = models.DateField(default=timezone.localdate)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Set when work on it began: a protective action for "time to help".
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The MACE agenda item it was agreed at, when it came from a meeting.
    agenda_item = models.ForeignKey(
        "cases.AgendaItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=F("created_on")), name="action_due_after_created"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ActionStatus.values), name="action_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ACTION_STATES


class CaseNote(models.Model):
    """Append-only (PostgreSQL refuses changes, migration 0002): a correction is a new
    note that points to the one it corrects."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="notes")
    body = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    membership = models.ForeignKey("areas.Membership", on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )

    class Meta:
        ordering = ["-written_at", "-pk"]
        constraints = [models.CheckConstraint(condition=~Q(body=""), name="case_note_has_body")]

    def __str__(self) -> str:
        return f"Note {self.pk} on case {self.case_id}"


class CaseReview(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="reviews")
    was_due_on = models.DateField()
    held_on = models.DateField()
    summary = models.TextField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    next_review_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_review_on__gt=F("held_on")), name="review_next_after_held"
            )
        ]

    def __str__(self) -> str:
        return f"Review of case {self.case_id} on {self.held_on}"


# --- MACE meetings ---------------------------------------------------------------------


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"


class MaceMeeting(models.Model):
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=TITLE_MAX)
    starts_at = models.DateTimeField()
    location = models.CharField(max_length=TITLE_MAX, blank=True)
    status = models.CharField(
        max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Bumped by every change to the agenda: two coordinators editing at once cannot
    # silently overwrite each other (optimistic concurrency).
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-starts_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class MeetingMember(models.Model):
    """Who sits on the meeting: the need-to-know basis for its packs and minutes."""

    meeting = models.ForeignKey(MaceMeeting, on_delete=models.CASCADE, related_name="members")
    membership = models.ForeignKey("areas.Membership", on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "membership"], name="meeting_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.membership} at meeting {self.meeting_id}"


class AgendaKind(models.TextChoices):
    CHILD = "child", "Child"
    PEER_GROUP = "peer_group", "Peer group"
    LOCATION = "location", "Location"


class AgendaItem(models.Model):
    """One child, peer group or location discussed at a meeting.

    Extension point: peer groups and locations are free text until the contexts model
    (a later issue) arrives; then ``subject`` gains a foreign key beside it."""

    meeting = models.ForeignKey(MaceMeeting, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=20, choices=AgendaKind.choices)
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    subject = models.CharField(max_length=TITLE_MAX, blank=True)
    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=AgendaKind.CHILD) & Q(person__isnull=False) & Q(subject=""))
                | (~Q(kind=AgendaKind.CHILD) & Q(person__isnull=True) & ~Q(subject="")),
                name="agenda_item_child_or_subject",
            ),
            models.UniqueConstraint(
                fields=["meeting", "person"],
                condition=Q(person__isnull=False),
                name="agenda_child_once",
            ),
        ]

    def __str__(self) -> str:
        return self.subject or f"Child {self.person_id}"


class MeetingDecision(models.Model):
    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="decisions")
    text = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="decision_has_text")]

    def __str__(self) -> str:
        return f"Decision {self.pk}"


# --- National Referral Mechanism -------------------------------------------------------


class NrmOutcome(models.TextChoices):
    POSITIVE = "positive", "Positive"
    NEGATIVE = "negative", "Negative"


class NrmReferral(models.Model):
    """A child's NRM referral and the Single Competent Authority's decisions. A positive
    decision can support the statutory defence (Modern Slavery Act 2015, section 45)."""

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="nrm_referrals"
    )
    first_responder_organisation = models.CharField(max_length=TITLE_MAX)
    submitted_on = models.DateField()
    reasonable_grounds_on = models.DateField(null=True, blank=True)
    reasonable_grounds_outcome = models.CharField(
        max_length=10, choices=NrmOutcome.choices, blank=True
    )
    conclusive_grounds_on = models.DateField(null=True, blank=True)
    conclusive_grounds_outcome = models.CharField(
        max_length=10, choices=NrmOutcome.choices, blank=True
    )
    support_offered = models.TextField(blank=True)
    is_relevant_to_criminal_proceedings = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-submitted_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reasonable_grounds_on__isnull=True, reasonable_grounds_outcome="")
                | (
                    Q(reasonable_grounds_on__gte=F("submitted_on"))
                    & ~Q(reasonable_grounds_outcome="")
                ),
                name="nrm_reasonable_grounds_dated_after_submission",
            ),
            models.CheckConstraint(
                condition=Q(conclusive_grounds_on__isnull=True, conclusive_grounds_outcome="")
                | (
                    Q(conclusive_grounds_on__gte=F("reasonable_grounds_on"))
                    & Q(reasonable_grounds_outcome=NrmOutcome.POSITIVE)
                    & ~Q(conclusive_grounds_outcome="")
                ),
                name="nrm_conclusive_after_positive_reasonable_grounds",
            ),
        ]

    def __str__(self) -> str:
        return f"NRM referral {self.pk}"
