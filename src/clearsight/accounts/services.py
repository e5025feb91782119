"""Account changes: invitations, MFA enrolment, recovery codes, suspension, roles.

Each function runs in one transaction and writes its own audit event; emails are sent
on commit, never before."""

from __future__ import annotations

import logging
import secrets
import smtplib
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from clearsight.access.actor import Actor
from clearsight.access.policy import assignable_agencies, can_manage_user
from clearsight.access.roles import Role
from clearsight.accounts.models import (
    ApiToken,
    Invitation,
    RecoveryCode,
    RecoveryCodeDevice,
    User,
    normalise_email,
    token_digest,
)
from clearsight.areas.models import Agency, Membership
from clearsight.audit import services as audit
from clearsight.core.errors import DomainError, NotFoundError, PermissionDeniedError

logger = logging.getLogger(__name__)


class InvitationError(DomainError):
    """An invitation link that cannot be used (unknown, expired, used or withdrawn)."""


# --- Invitations ---------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: Invitation
    token: str

    @property
    def accept_url(self) -> str:
        path = reverse("accounts:accept-invitation")
        return f"{settings.CLEARSIGHT_BASE_URL}{path}?token={self.token}"


def _check_role_assignment(actor: Actor, agency: Agency, role: str) -> None:
    if not assignable_agencies(actor).filter(pk=agency.pk).exists():
        raise PermissionDeniedError("Choose an agency in your area.", field="agency")
    if role not in {r.value for r in Role}:
        raise DomainError("Choose a role from the list.", field="role")


@transaction.atomic
def invite_user(
    *, actor: Actor, email: str, full_name: str, agency: Agency, role: str
) -> IssuedInvitation:
    """Invite someone to Clearsight with one role. The link works once, for
    CLEARSIGHT_INVITATION_DAYS days, and is stored only as a digest."""
    _check_role_assignment(actor, agency, role)
    email = normalise_email(email)
    if User.objects.filter(email__iexact=email).exists():
        raise DomainError(
            "There is already an account with this email address. "
            "Find the person in the list of users and add a role to their account.",
            field="email",
        )
    if Invitation.objects.filter(
        email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).exists():
        raise DomainError(
            "This email address already has an invitation waiting. "
            "Resend it from the list of invitations if it was lost or has expired.",
            field="email",
        )
    return _issue_invitation(
        actor=actor, email=email, full_name=full_name.strip(), agency=agency, role=role
    )


def _issue_invitation(
    *, actor: Actor, email: str, full_name: str, agency: Agency, role: str
) -> IssuedInvitation:
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                email=email,
                full_name=full_name,
                agency=agency,
                role=role,
                token_digest=token_digest(token),
                invited_by=actor.user,
                created_at=now,
                expires_at=now + timedelta(days=settings.CLEARSIGHT_INVITATION_DAYS),
            )
    except IntegrityError as error:
        raise DomainError(
            "This email address already has an invitation waiting.", field="email"
        ) from error
    issued = IssuedInvitation(invitation=invitation, token=token)
    audit.record(
        action="invitation.sent",
        actor=actor,
        target=invitation,
        details={"agency_id": agency.pk, "role": role},
    )
    transaction.on_commit(partial(_send_invitation_email, issued))
    return issued


def _send_invitation_email(issued: IssuedInvitation) -> None:
    invitation = issued.invitation
    context = {
        "invitation": invitation,
        "accept_url": issued.accept_url,
        "role": Role(invitation.role).label,
        "days": settings.CLEARSIGHT_INVITATION_DAYS,
    }
    try:
        send_mail(
            subject="You have been invited to Clearsight",
            message=render_to_string("accounts/email/invitation.txt", context),
            from_email=None,
            recipient_list=[invitation.email],
        )
    except (OSError, smtplib.SMTPException):
        # The invitation is saved; the administrator can resend it once mail works. The
        # failure is logged (without the address) and audited, never shown as a crash.
        logger.exception("Invitation email could not be sent (invitation %s)", invitation.pk)
        audit.record(
            action="invitation.email_failed",
            user=invitation.invited_by,
            area=invitation.agency.area,
            target=invitation,
        )


@transaction.atomic
def resend_invitation(*, actor: Actor, invitation: Invitation) -> IssuedInvitation:
    """Withdraw the old link and send a new one (for lost or expired invitations)."""
    if not invitation.is_open:
        raise DomainError("This invitation has already been accepted or withdrawn.")
    _check_role_assignment(actor, invitation.agency, invitation.role)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    return _issue_invitation(
        actor=actor,
        email=invitation.email,
        full_name=invitation.full_name,
        agency=invitation.agency,
        role=invitation.role,
    )


@transaction.atomic
def withdraw_invitation(*, actor: Actor, invitation: Invitation) -> None:
    if not invitation.is_open:
        raise DomainError("This invitation has already been accepted or withdrawn.")
    _check_role_assignment(actor, invitation.agency, invitation.role)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit.record(action="invitation.withdrawn", actor=actor, target=invitation)


def open_invitation(token: str) -> Invitation:
    """The invitation a link refers to, or an InvitationError saying why it cannot be used."""
    invitation = (
        Invitation.objects.select_related("agency__area")
        .filter(token_digest=token_digest(token or ""))
        .first()
    )
    if invitation is None:
        raise InvitationError(
            "This invitation link is not valid. Check you copied the whole link from the "
            "email, or ask your area administrator to send a new invitation."
        )
    if invitation.accepted_at:
        raise InvitationError(
            "This invitation has already been used. Sign in with the email address and "
            "password you chose."
        )
    if invitation.revoked_at:
        raise InvitationError(
            "This invitation has been withdrawn. Ask your area administrator for a new one."
        )
    if invitation.is_expired:
        raise InvitationError(
            "This invitation has expired. Ask your area administrator to send a new one."
        )
    return invitation


@transaction.atomic
def accept_invitation(*, token: str, password: str) -> User:
    """Create the account and its first membership from an invitation."""
    invitation = open_invitation(token)
    Invitation.objects.select_for_update().get(pk=invitation.pk)
    candidate = User(email=invitation.email, full_name=invitation.full_name)
    try:
        validate_password(password, user=candidate)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages), field="password") from error
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise InvitationError(
            "There is already an account with this email address. Sign in instead."
        )
    user = User.objects.create_user(invitation.email, password, full_name=invitation.full_name)
    membership = Membership.objects.create(
        user=user, agency=invitation.agency, role=invitation.role, created_by=invitation.invited_by
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_user = user
    invitation.save(update_fields=["accepted_at", "accepted_user"])
    audit.record(
        action="invitation.accepted",
        user=user,
        area=invitation.agency.area,
        target=membership,
    )
    return user


# --- MFA -----------------------------------------------------------------------------


def pending_totp_device(user: User) -> TOTPDevice:
    """The unconfirmed authenticator being set up (created on first visit, reused after,
    so reloading the page does not change the QR code)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def confirmed_totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-id").first()


@transaction.atomic
def confirm_totp_device(*, user: User, device: TOTPDevice, code: str) -> list[str]:
    """Confirm the authenticator with a code from it; return fresh recovery codes."""
    if device.user_id != user.pk or device.confirmed:
        raise DomainError("Start setting up your authenticator app again.", field="code")
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        raise DomainError("Enter the 6-digit code from your authenticator app.", field="code")
    if not device.verify_token(code):
        raise DomainError(
            "The code is not correct. Check the time on your phone is set automatically and "
            "enter the code your app shows now.",
            field="code",
        )
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    audit.record(action="mfa.enrolled", user=user)
    return issue_recovery_codes(user=user)


@transaction.atomic
def issue_recovery_codes(*, user: User) -> list[str]:
    """Replace the user's recovery codes with a new set, returned once in plain text."""
    RecoveryCodeDevice.objects.filter(user=user).delete()
    device = RecoveryCodeDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [_new_recovery_code() for _ in range(settings.CLEARSIGHT_RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(device=device, code_digest=token_digest(code.replace("-", "")))
        for code in codes
    )
    audit.record(action="mfa.recovery_codes_issued", user=user)
    return codes


def _new_recovery_code() -> str:
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


# --- Sessions ------------------------------------------------------------------------


@transaction.atomic
def sign_out_everywhere(*, user: User) -> None:
    """End every session of this user, on every device, including the current one."""
    User.objects.filter(pk=user.pk).update(session_generation=user.session_generation + 1)
    user.refresh_from_db(fields=["session_generation"])
    audit.record(action="session.signed_out_everywhere", user=user)


# --- Administration ------------------------------------------------------------------


def _require_manageable(actor: Actor, user: User) -> None:
    if not can_manage_user(actor, user):
        raise NotFoundError("There is no such user in your area.")


@transaction.atomic
def suspend_user(*, actor: Actor, user: User, reason: str) -> None:
    """Suspend an account: sign-in stops and every open session ends at its next request."""
    _require_manageable(actor, user)
    if user.pk == actor.user.pk:
        raise DomainError("You cannot suspend your own account.", field="reason")
    if not reason.strip():
        raise DomainError("Enter why you are suspending this account.", field="reason")
    if not user.is_active:
        raise DomainError("This account is already suspended.")
    user.is_active = False
    user.suspended_at = timezone.now()
    user.suspended_reason = reason.strip()
    user.save(update_fields=["is_active", "suspended_at", "suspended_reason"])
    audit.record(action="user.suspended", actor=actor, target=user, reason=reason.strip())


@transaction.atomic
def reactivate_user(*, actor: Actor, user: User) -> None:
    _require_manageable(actor, user)
    if user.is_active:
        raise DomainError("This account is not suspended.")
    user.is_active = True
    user.suspended_at = None
    user.suspended_reason = ""
    user.save(update_fields=["is_active", "suspended_at", "suspended_reason"])
    audit.record(action="user.reactivated", actor=actor, target=user)


@transaction.atomic
def add_membership(*, actor: Actor, user: User, agency: Agency, role: str) -> Membership:
    _require_manageable(actor, user)
    _check_role_assignment(actor, agency, role)
    if Membership.objects.current().filter(user=user, agency=agency, role=role).exists():
        raise DomainError(f"{user.full_name} already has this role in {agency.name}.", field="role")
    membership = Membership.objects.create(
        user=user, agency=agency, role=role, created_by=actor.user
    )
    audit.record(action="membership.added", actor=actor, target=membership)
    return membership


@transaction.atomic
def end_membership(*, actor: Actor, membership: Membership) -> None:
    _require_manageable(actor, membership.user)
    if membership.agency.area_id != actor.area_id:
        raise NotFoundError("There is no such role in your area.")
    if not membership.is_current:
        raise DomainError("This role has already ended.")
    if membership.pk == actor.membership.pk:
        raise DomainError("You cannot remove the role you are acting in.")
    membership.ended_at = timezone.now()
    membership.ended_by = actor.user
    membership.save(update_fields=["ended_at", "ended_by"])
    audit.record(action="membership.ended", actor=actor, target=membership)


@transaction.atomic
def set_line_manager(
    *, actor: Actor, user: User, membership_id: int, line_manager_id: int | None
) -> Membership:
    """Who this person reports to in one of their roles. Reminders about their overdue
    work (return home interviews) go to the line manager too, so the manager must hold
    a current role in the same area, and nobody manages themselves."""
    _require_manageable(actor, user)
    membership = (
        Membership.objects.select_for_update()
        .filter(pk=membership_id, user=user, agency__area_id=actor.area_id)
        .first()
    )
    if membership is None or not membership.is_current:
        raise DomainError("Choose one of their current roles", field="membership")
    manager = None
    if line_manager_id is not None:
        manager = (
            Membership.objects.current()
            .select_related("user")
            .filter(
                pk=line_manager_id,
                agency__area_id=actor.area_id,
                agency__is_active=True,
                user__is_active=True,
            )
            .first()
        )
        if manager is None:
            raise DomainError(
                f"Choose a line manager with a current role in {actor.area.name}",
                field="line_manager",
            )
        if manager.user_id == user.pk:
            raise DomainError("Someone cannot be their own line manager", field="line_manager")
    previous = membership.line_manager_id
    membership.line_manager = manager
    membership.save(update_fields=["line_manager"])
    audit.record(
        action="membership.line_manager_set",
        actor=actor,
        target=membership,
        details={"line_manager": manager.pk if manager else None, "previous": previous},
    )
    return membership


# --- API tokens ----------------------------------------------------------------------

TOKEN_PREFIX = "cs_"  # noqa: S105 - a public prefix, not a secret
MAX_TOKEN_DAYS = 365


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str


@transaction.atomic
def issue_api_token(*, actor: Actor, name: str, days: int) -> IssuedToken:
    """A token acting in the actor's current membership, returned once in plain text."""
    name = " ".join(name.split())
    errors = {}
    if not name:
        errors["name"] = "Enter a name for the token, like the name of the script that uses it"
    elif len(name) > 100:
        errors["name"] = "The name must be 100 characters or fewer"
    if not 1 <= days <= MAX_TOKEN_DAYS:
        errors["days"] = f"Enter a number of days from 1 to {MAX_TOKEN_DAYS}"
    if errors:
        from clearsight.core.errors import InvalidInput

        raise InvalidInput(errors)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor.user,
        membership=actor.membership,
        name=name,
        prefix=secret[:10],
        token_digest=token_digest(secret),
        expires_at=timezone.now() + timedelta(days=days),
    )
    audit.record(action="api_token.issued", actor=actor, target=token, details={"days": days})
    return IssuedToken(token=token, secret=secret)


@transaction.atomic
def revoke_api_token(*, user: User, token: ApiToken) -> None:
    if token.user_id != user.pk:
        raise NotFoundError("There is no such token.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(action="api_token.revoked", user=user, target=token)
