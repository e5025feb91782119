"""Cost of checking a password with Argon2 (our hasher) against Django's default
PBKDF2, the baseline: sign-in latency and the cost for an attacker move together."""

from __future__ import annotations

from django.contrib.auth.hashers import check_password, make_password

from bench.dataset import Dataset
from bench.harness import Result, percentile, timed_runs

PASSWORD = "lantern orchard violet"  # noqa: S105 - a benchmark input, not a secret


def run(dataset: Dataset) -> list[Result]:
    argon2 = make_password(PASSWORD, hasher="argon2")
    pbkdf2 = make_password(PASSWORD, hasher="pbkdf2_sha256")
    argon_ms = timed_runs(lambda: check_password(PASSWORD, argon2), runs=30)
    pbkdf2_ms = timed_runs(lambda: check_password(PASSWORD, pbkdf2), runs=30)
    return [
        Result(
            benchmark="Password check (argon2)",
            figure="median per check",
            value=percentile(argon_ms, 50),
            unit="ms",
            baseline_name="PBKDF2-SHA256 (Django default)",
            baseline_value=percentile(pbkdf2_ms, 50),
            data_size="1 password",
        )
    ]
