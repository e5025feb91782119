"""Staff accounts that can really sign in for the load test: a password and an
authenticator with a known key each, in the synthetic area with the most children.
Created once per bench database and reused (found by email); each run resets their
authenticators so that this minute's code has not been used."""

from __future__ import annotations

import hashlib
import random
from dataclasses import asdict, dataclass, field
from datetime import timedelta

from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

PASSWORD = "bench-only lantern orchard"  # noqa: S105 - synthetic accounts in a bench database
DOMAIN = "bench.clearsight.invalid"
# Mixed roles: three see the whole area, the social worker only the team around a child.
ROLES = ("police_officer", "triage_officer", "missing_coordinator", "social_worker")
AGENCY_FOR = {
    "police_officer": "police",
    "triage_officer": "childrens_social_care",
    "missing_coordinator": "childrens_social_care",
    "social_worker": "childrens_social_care",
}
ROLES_THAT_REPORT_MISSING = {"police_officer", "missing_coordinator", "social_worker"}
CHILDREN_EACH = 200
MISSING_EACH = 40


@dataclass
class BenchUser:
    email: str
    password: str
    totp_key: str
    role: str
    membership_id: int
    children: list[int] = field(default_factory=list)
    # Children with no open episode and none recent, which only this user reports missing.
    to_report_missing: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def totp_key(email: str) -> str:
    return hashlib.sha256(f"clearsight-bench-totp:{email}".encode()).hexdigest()[:40]


def busiest_area() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT area_id FROM people_person WHERE kind = 'child' "
            "GROUP BY area_id ORDER BY count(*) DESC, area_id LIMIT 1"
        )
        return int(cursor.fetchone()[0])


def _children(area_id: int) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM people_person WHERE area_id = %s AND kind = 'child' "
            "AND deleted_at IS NULL ORDER BY id",
            [area_id],
        )
        return [row[0] for row in cursor.fetchall()]


def _free_to_report(area_id: int) -> list[int]:
    """Children not missing now, whose last episode ended more than two days ago."""
    since = timezone.now() - timedelta(days=2)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.id FROM people_person p WHERE p.area_id = %s AND p.kind = 'child' "
            "AND p.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM missing_missingepisode e "
            "WHERE e.person_id = p.id AND (e.ended_at IS NULL OR e.ended_at > %s)) ORDER BY p.id",
            [area_id, since],
        )
        return [row[0] for row in cursor.fetchall()]


@transaction.atomic
def bench_users(count: int, *, seed: int = 1) -> list[BenchUser]:
    from django.contrib.auth.hashers import make_password
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from clearsight.accounts.models import User
    from clearsight.areas.models import Agency, Membership
    from clearsight.people.models import TeamMember

    area_id = busiest_area()
    agencies = {
        kind: Agency.objects.filter(area_id=area_id, agency_type=kind).order_by("pk").first()
        for kind in set(AGENCY_FOR.values())
    }
    hashed = make_password(PASSWORD)
    rng = random.Random(seed)
    children = _children(area_id)
    free = _free_to_report(area_id)
    rng.shuffle(free)
    users = []
    for n in range(count):
        role = ROLES[n % len(ROLES)]
        email = f"bench-{n:03d}@{DOMAIN}"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create(email=email, full_name=f"Bench User {n}", password=hashed)
        membership, _ = Membership.objects.get_or_create(
            user=user, agency=agencies[AGENCY_FOR[role]], role=role, ended_at=None
        )
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, confirmed=True, defaults={"name": "Bench", "key": totp_key(email)}
        )
        TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
        mine = rng.sample(children, min(CHILDREN_EACH, len(children)))
        report = free[n * MISSING_EACH : (n + 1) * MISSING_EACH]
        if role not in ROLES_THAT_REPORT_MISSING:
            report = []
        if role == "social_worker":
            # A social worker sees only the children whose team they are on.
            TeamMember.objects.bulk_create(
                [
                    TeamMember(person_id=pk, membership=membership, reason="Bench caseload")
                    for pk in {*mine, *report}
                ],
                ignore_conflicts=True,
            )
        users.append(
            BenchUser(email, PASSWORD, device.key, role, membership.pk, mine, list(report))
        )
    return users


def signed_in_client(membership_id: int) -> Client:
    """A test client signed in (password and second factor) as the membership's user."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from clearsight.accounts import sessions
    from clearsight.areas.models import Membership

    membership = Membership.objects.select_related("user").get(pk=membership_id)
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
