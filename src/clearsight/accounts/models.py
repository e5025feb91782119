"""Staff accounts: email sign-in, mandatory TOTP, recovery codes and invitations."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django_otp.models import Device

from clearsight.access.roles import ROLE_CHOICES


def normalise_email(email: str) -> str:
    return email.strip().lower()


def token_digest(token: str) -> str:
    """Invitation tokens and recovery codes are stored only as SHA-256 digests: they are
    long random values, so a slow password hash adds nothing but latency."""
    return hashlib.sha256(token.encode()).hexdigest()


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        user = self.model(email=normalise_email(email), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=normalise_email(username or ""))

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):  # type: ignore[django-manager-missing]
    email = models.EmailField(max_length=254)
    full_name = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    suspended_at = models.DateTimeField(null=True, blank=True)
    suspended_reason = models.CharField(max_length=500, blank=True)
    # Raised by "sign out everywhere": sessions started before the change are ended.
    session_generation = models.PositiveIntegerField(default=0)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)

    @property
    def is_staff(self) -> bool:
        # No Django admin site: every account is managed through Clearsight's own pages.
        return False

    @property
    def is_suspended(self) -> bool:
        return not self.is_active


class RecoveryCodeDevice(Device):
    """One-time recovery codes, used when the authenticator app is lost.

    A django-otp device so that signing in with a code marks the session as verified in
    the same way as a TOTP code does."""

    def verify_token(self, token: Any) -> bool:
        code = normalise_recovery_code(str(token))
        if not code:
            return False
        digest = token_digest(code)
        for recovery_code in self.codes.filter(used_at__isnull=True):
            if hmac.compare_digest(recovery_code.code_digest, digest):
                recovery_code.used_at = timezone.now()
                recovery_code.save(update_fields=["used_at"])
                return True
        return False

    @property
    def remaining(self) -> int:
        return self.codes.filter(used_at__isnull=True).count()


def normalise_recovery_code(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


class RecoveryCode(models.Model):
    device = models.ForeignKey(RecoveryCodeDevice, on_delete=models.CASCADE, related_name="codes")
    code_digest = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Recovery code for {self.device.user}"


class Invitation(models.Model):
    """An area administrator's invitation to join Clearsight in one agency and role."""

    email = models.EmailField(max_length=254)
    full_name = models.CharField(max_length=200)
    agency = models.ForeignKey("areas.Agency", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=40, choices=ROLE_CHOICES)
    token_digest = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_user = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation for {self.full_name}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "Accepted"
        if self.revoked_at:
            return "Withdrawn"
        if self.is_expired:
            return "Expired"
        return "Waiting"


class ApiToken(models.Model):
    """A personal API token: acts as one membership, expires, can be revoked, and is
    shown once (only its digest is stored)."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_tokens")
    membership = models.ForeignKey("areas.Membership", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12)
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"API token {self.prefix}…"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and timezone.now() < self.expires_at
