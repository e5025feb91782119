"""In-process latency of the pages every user sees, through the whole middleware stack
(sessions, MFA check, actor, CSP) on PostgreSQL. Baseline: /healthz with the same
signed-in session, the cheapest request through the same stack, so the ratio is what a
real staff page costs on top of the framework."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.dataset import Dataset
from bench.harness import Result, percentile, timed_runs


def _signed_in_client() -> Client:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from clearsight.accounts import sessions
    from clearsight.areas.models import Membership
    from clearsight.demo.accounts import load_demo_accounts

    load_demo_accounts()
    membership = Membership.objects.select_related("user").get(
        user__email="admin@demo.clearsight.invalid", ended_at__isnull=True
    )
    client = Client()
    client.force_login(
        membership.user, backend="django.contrib.auth.backends.AllowAllUsersModelBackend"
    )
    session = client.session
    session["otp_device_id"] = TOTPDevice.objects.get(user=membership.user).persistent_id
    sessions.start(session, generation=membership.user.session_generation)
    session[sessions.MEMBERSHIP_KEY] = membership.pk
    session.save()
    return client


def run(dataset: Dataset) -> list[Result]:
    client = _signed_in_client()
    baseline = timed_runs(lambda: client.get("/healthz"), runs=200)
    results = []
    for path, label in (("/home/", "Home page"), ("/users/", "Users page (admin)")):
        assert client.get(path).status_code == 200, path
        samples = timed_runs(lambda path=path: client.get(path), runs=200)
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        for p in (50, 95, 99):
            results.append(
                Result(
                    benchmark=f"{label} {path}",
                    figure=f"p{p} latency ({len(queries)} queries)",
                    value=percentile(samples, p),
                    unit="ms",
                    baseline_name="/healthz",
                    baseline_value=percentile(baseline, p),
                    data_size=f"demo accounts (8 agencies, 13 users) beside {dataset.label}",
                )
            )
    return results
