"""The synthetic demo area: one partnership, its agencies, one demo user per role.

Everything here is invented. Loading is idempotent: records are found by their natural
keys, so running it again creates nothing new."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from clearsight.access.roles import Role
from clearsight.accounts.models import User
from clearsight.areas.models import Agency, AgencyType, Area, Membership

DEMO_PASSWORD = "clearsight-demo-2026"  # noqa: S105 - synthetic demo data only
DEMO_DOMAIN = "demo.clearsight.invalid"

AREA = ("Northbridge Safeguarding Partnership", "northbridge")

AGENCIES: list[tuple[str, AgencyType]] = [
    ("Northbridge Academy", AgencyType.SCHOOL),
    ("Northbridge Constabulary", AgencyType.POLICE),
    ("Northbridge Children's Social Care", AgencyType.CHILDRENS_SOCIAL_CARE),
    ("Northbridge Health NHS Trust", AgencyType.HEALTH),
    ("Northbridge Youth Service", AgencyType.YOUTH_SERVICE),
    ("Safe Steps Northbridge", AgencyType.VOLUNTARY_SECTOR),
    ("Northbridge Family Helpline", AgencyType.HELPLINE),
    ("Northbridge Council", AgencyType.LOCAL_AUTHORITY_OTHER),
]


@dataclass(frozen=True)
class DemoUser:
    local_part: str
    full_name: str
    roles: tuple[tuple[Role, str], ...]

    @property
    def email(self) -> str:
        return f"{self.local_part}@{DEMO_DOMAIN}"


USERS: list[DemoUser] = [
    DemoUser("practitioner", "Priya Shah", ((Role.PRACTITIONER, "Northbridge Youth Service"),)),
    DemoUser("dsl", "Daniel Okafor", ((Role.DESIGNATED_SAFEGUARDING_LEAD, "Northbridge Academy"),)),
    DemoUser(
        "social.worker",
        "Sarah Whitfield",
        ((Role.SOCIAL_WORKER, "Northbridge Children's Social Care"),),
    ),
    DemoUser("police", "PC Tom Hughes", ((Role.POLICE_OFFICER, "Northbridge Constabulary"),)),
    DemoUser("analyst", "Amira Haddad", ((Role.INTELLIGENCE_ANALYST, "Northbridge Constabulary"),)),
    DemoUser("rhi", "Grace Mensah", ((Role.RHI_WORKER, "Safe Steps Northbridge"),)),
    DemoUser("mace", "Helen Carter", ((Role.MACE_COORDINATOR, "Northbridge Council"),)),
    DemoUser(
        "missing",
        "Nadia Rahman",
        ((Role.MISSING_COORDINATOR, "Northbridge Children's Social Care"),),
    ),
    DemoUser("helpline", "Jamie Lewis", ((Role.HELPLINE_WORKER, "Northbridge Family Helpline"),)),
    DemoUser(
        "triage", "Marcus Reid", ((Role.TRIAGE_OFFICER, "Northbridge Children's Social Care"),)
    ),
    DemoUser("admin", "Fiona Grant", ((Role.AREA_ADMINISTRATOR, "Northbridge Council"),)),
    DemoUser("dpo", "Owen Price", ((Role.DATA_PROTECTION_OFFICER, "Northbridge Council"),)),
    DemoUser(
        "multi",
        "Leah Brennan",
        (
            (Role.SOCIAL_WORKER, "Northbridge Children's Social Care"),
            (Role.TRIAGE_OFFICER, "Northbridge Children's Social Care"),
            (Role.MACE_COORDINATOR, "Northbridge Council"),
        ),
    ),
]


def demo_totp_key(email: str) -> str:
    """A stable TOTP secret per demo user, so `make demo-codes` always matches."""
    return hmac.new(b"clearsight-demo-totp", email.encode(), hashlib.sha256).hexdigest()[:40]


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


@transaction.atomic
def load_demo_accounts() -> tuple[Area, list[DemoUser]]:
    area, _ = Area.objects.get_or_create(code=AREA[1], defaults={"name": AREA[0]})
    agencies = {
        name: Agency.objects.get_or_create(area=area, name=name, defaults={"agency_type": kind})[0]
        for name, kind in AGENCIES
    }
    for demo in USERS:
        user = User.objects.filter(email__iexact=demo.email).first()
        if user is None:
            user = User.objects.create_user(demo.email, DEMO_PASSWORD, full_name=demo.full_name)
        for role, agency_name in demo.roles:
            Membership.objects.get_or_create(
                user=user, agency=agencies[agency_name], role=role.value, ended_at=None
            )
        TOTPDevice.objects.get_or_create(
            user=user,
            confirmed=True,
            defaults={"name": "Demo authenticator", "key": demo_totp_key(demo.email)},
        )
    _set_demo_line_managers()
    return area, USERS


def _set_demo_line_managers() -> None:
    """The RHI worker reports to the missing children coordinator, so both get the
    reminders about overdue return home interviews. A manager set since is kept."""
    current = Membership.objects.current()
    manager = current.filter(
        user__email__iexact=f"missing@{DEMO_DOMAIN}", role=Role.MISSING_COORDINATOR.value
    ).first()
    current.filter(
        user__email__iexact=f"rhi@{DEMO_DOMAIN}",
        role=Role.RHI_WORKER.value,
        line_manager__isnull=True,
    ).update(line_manager=manager)
