from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from clearsight.access.roles import Role
from clearsight.accounts import sessions
from clearsight.accounts.models import User
from clearsight.areas.models import Agency, AgencyType, Area, Membership
from tests.factories import AgencyFactory, AreaFactory, MembershipFactory, TOTPDeviceFactory


def pytest_configure(config: pytest.Config) -> None:
    # Start the embedded server when no DATABASE_URL is given (make does this too).
    if not os.environ.get("DATABASE_URL"):
        from clearsight import embedded_db

        embedded_db.start()


DB_FIXTURES = {"db", "transactional_db", "live_server"}


@pytest.fixture(autouse=True)
def _national_indicator_library(request: pytest.FixtureRequest) -> None:
    """The national indicator library is loaded by a data migration. Tests with real
    transactions (the browser tests, real workers) empty every table when they finish,
    so a later test would find no library; put it back for every test that uses the
    database (one query when it is there)."""
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    if marker is None and not names & DB_FIXTURES:
        return
    transactional = bool(names & {"transactional_db", "live_server"}) or bool(
        marker and marker.kwargs.get("transaction")
    )
    request.getfixturevalue("transactional_db" if transactional else "db")
    from clearsight.risk import library
    from clearsight.risk.models import Indicator, LibraryVersion, ProtectiveFactorKind

    library.install_national(
        1, version_model=LibraryVersion, indicator_model=Indicator, kind_model=ProtectiveFactorKind
    )


def totp_code(device: TOTPDevice, *, offset_steps: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + offset_steps * device.step
    return f"{totp.token():0{device.digits}d}"


@dataclass
class Cast:
    """One user per role in one area (the healthchecks "alice and bob" idea)."""

    area: Area
    agencies: dict[AgencyType, Agency]
    members: dict[Role, Membership]

    def user(self, role: Role) -> User:
        return self.members[role].user


ROLE_AGENCY = {
    Role.PRACTITIONER: AgencyType.YOUTH_SERVICE,
    Role.DESIGNATED_SAFEGUARDING_LEAD: AgencyType.SCHOOL,
    Role.SOCIAL_WORKER: AgencyType.CHILDRENS_SOCIAL_CARE,
    Role.POLICE_OFFICER: AgencyType.POLICE,
    Role.INTELLIGENCE_ANALYST: AgencyType.POLICE,
    Role.RHI_WORKER: AgencyType.VOLUNTARY_SECTOR,
    Role.MACE_COORDINATOR: AgencyType.LOCAL_AUTHORITY_OTHER,
    Role.MISSING_COORDINATOR: AgencyType.CHILDRENS_SOCIAL_CARE,
    Role.HELPLINE_WORKER: AgencyType.HELPLINE,
    Role.TRIAGE_OFFICER: AgencyType.CHILDRENS_SOCIAL_CARE,
    Role.AREA_ADMINISTRATOR: AgencyType.LOCAL_AUTHORITY_OTHER,
    Role.DATA_PROTECTION_OFFICER: AgencyType.LOCAL_AUTHORITY_OTHER,
}


@pytest.fixture
def area(db: None) -> Area:
    return AreaFactory(name="Testshire Safeguarding Partnership", code="testshire")


@pytest.fixture
def cast(area: Area) -> Cast:
    agencies = {
        kind: AgencyFactory(area=area, name=f"Testshire {kind.label}", agency_type=kind)
        for kind in AgencyType
    }
    members = {}
    for role in Role:
        local = role.value.replace("_", ".")
        membership = MembershipFactory(
            user__email=f"{local}@testshire.example.org",
            user__full_name=f"Test {role.label}",
            agency=agencies[ROLE_AGENCY[role]],
            role=role.value,
        )
        TOTPDeviceFactory(user=membership.user)
        members[role] = membership
    return Cast(area=area, agencies=agencies, members=members)


def sign_in(client: Client, membership: Membership) -> Client:
    """A fully signed-in session (password, second factor, chosen role) without the
    pages in between; the sign-in tests walk those pages themselves."""
    user = User.objects.get(pk=membership.user_id)
    client.force_login(user, backend="django.contrib.auth.backends.AllowAllUsersModelBackend")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDeviceFactory(
        user=user
    )
    session = client.session
    session["otp_device_id"] = device.persistent_id
    sessions.start(session, generation=user.session_generation)
    session[sessions.MEMBERSHIP_KEY] = membership.pk
    session.save()
    return client


@pytest.fixture
def client_for(cast: Cast, client: Client):  # type: ignore[no-untyped-def]
    def _client_for(role: Role) -> Client:
        return sign_in(Client(), cast.members[role])

    return _client_for
