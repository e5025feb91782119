"""The record of each synthetic data load: what it was asked for and the id ranges it
reserved. Every row a load creates has an id inside one of its ranges, which is how a
re-run removes exactly those rows and nothing else."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class SynthRunStatus(models.TextChoices):
    LOADING = "loading", "Loading"
    COMPLETE = "complete", "Complete"


class SynthRun(models.Model):
    scale = models.CharField(max_length=20)
    seed = models.PositiveBigIntegerField()
    as_of = models.DateField(help_text="The day the data is generated around")
    status = models.CharField(
        max_length=10, choices=SynthRunStatus.choices, default=SynthRunStatus.LOADING
    )
    # {"db_table": [first_id, last_id], ...}, in the order the tables were loaded.
    id_ranges = models.JSONField(default=dict)
    row_counts = models.JSONField(default=dict)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=SynthRunStatus.values), name="synth_run_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Synthetic {self.scale} data, seed {self.seed} ({self.get_status_display()})"


class DeferredDefinition(models.Model):
    """An index or constraint a load into empty tables dropped, with the SQL that makes
    it again (synth/deferred.py). Written in the transaction that drops it and deleted
    in the one that rebuilds it, so a load killed at any point leaves either the index
    or its definition here, never neither."""

    db_table = models.CharField(max_length=100)
    name = models.CharField(max_length=100, unique=True)
    definition = models.TextField()
    # Rebuilt in this order: indexes, unique constraints, foreign keys (each checks
    # every row once against the loaded parents), and last exclusion constraints.
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name
