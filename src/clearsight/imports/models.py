"""Bulk import jobs: one uploaded file, its report and its progress."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ImportMode(models.TextChoices):
    GOOD_ROWS = "good_rows", "Import the good rows and list the bad ones"
    ALL_OR_NOTHING = "all_or_nothing", "All or nothing: import only if every row is good"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Importing"
    DONE = "done", "Finished"
    FAILED = "failed", "Not imported"


class ImportJob(models.Model):
    agency = models.ForeignKey("areas.Agency", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by_membership = models.ForeignKey(
        "areas.Membership", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    file_name = models.CharField(max_length=255)
    stored_path = models.CharField(max_length=500)
    mode = models.CharField(max_length=20, choices=ImportMode.choices, default=ImportMode.GOOD_ROWS)
    dry_run = models.BooleanField(default=False)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    existing_count = models.PositiveIntegerField(default=0)
    bad_count = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True)
    notice = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Import {self.pk} of {self.file_name}"

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.is_finished:
            return 100
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0
