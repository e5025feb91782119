"""The demo RHI worker reports to the demo missing children coordinator."""

from __future__ import annotations

import pytest

from clearsight.access.roles import Role
from clearsight.areas.models import Membership
from clearsight.demo.accounts import DEMO_DOMAIN, load_demo_accounts

pytestmark = pytest.mark.django_db


def test_the_demo_rhi_workers_line_manager_is_the_missing_coordinator(settings) -> None:  # type: ignore[no-untyped-def]
    # Argon2 for thirteen demo users is slow and not what this test is about.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_demo_accounts()
    load_demo_accounts()
    worker = Membership.objects.get(user__email=f"rhi@{DEMO_DOMAIN}", role=Role.RHI_WORKER)
    assert worker.line_manager is not None
    assert worker.line_manager.user.email == f"missing@{DEMO_DOMAIN}"
    assert worker.line_manager.role == Role.MISSING_COORDINATOR
