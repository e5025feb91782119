"""Break-glass access: opening a record outside one's team in an emergency, with a
reason. Allowed, flagged, time-limited and reported to the data protection officer."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class BreakGlassAccess(models.Model):
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="break_glass"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    membership = models.ForeignKey("areas.Membership", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=500)
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(max_length=500, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["-granted_at"]
        verbose_name_plural = "break-glass accesses"

    def __str__(self) -> str:
        return f"Break-glass access to person {self.person_id}"
