"""Fuzzy person search (pg_trgm on names and aliases) as a triage officer sees it, over a
synthetic area of 20,000 people. Baseline: the same search by exact NHS-number-style
identifier, an indexed equality lookup. Everything is rolled back afterwards."""

from __future__ import annotations

import random

from django.db import connection, transaction

from bench.harness import Result, percentile, timed_runs

PEOPLE = 20_000
GIVEN = [
    "Kai",
    "Mia",
    "Leo",
    "Ava",
    "Noah",
    "Isla",
    "Jayden",
    "Amara",
    "Mohammed",
    "Grace",
    "Tyler",
    "Zara",
]
FAMILY = [
    "Morgan",
    "Patel",
    "Okoro",
    "Hughes",
    "Khan",
    "Jones",
    "Clarke",
    "Reid",
    "Begum",
    "Nowak",
    "Smith",
    "Ali",
]


class _Rollback(Exception):
    pass


def run(scale: str) -> list[Result]:
    from clearsight.access.actor import Actor
    from clearsight.access.roles import Role
    from clearsight.accounts.models import User
    from clearsight.areas.models import Agency, AgencyType, Area, Membership
    from clearsight.people.choices import IdentifierKind
    from clearsight.people.models import Person, PersonIdentifier
    from clearsight.people.selectors import SearchCriteria, search_persons

    results: list[Result] = []
    rng = random.Random(7)
    try:
        with transaction.atomic():
            area = Area.objects.create(name="Benchshire", code="benchshire")
            agency = Agency.objects.create(
                area=area, name="Benchshire CSC", agency_type=AgencyType.CHILDRENS_SOCIAL_CARE
            )
            user = User.objects.create_user("bench@bench.invalid", None, full_name="Bench Triage")
            membership = Membership.objects.create(
                user=user, agency=agency, role=Role.TRIAGE_OFFICER.value
            )
            actor = Actor(user=user, membership=membership)
            people = []
            for n in range(PEOPLE):
                given, family = rng.choice(GIVEN), f"{rng.choice(FAMILY)}{n % 997}"
                people.append(
                    Person(
                        area=area,
                        given_names=given,
                        family_name=family,
                        search_name=f"{given} {family}".lower(),
                    )
                )
            created = Person.objects.bulk_create(people, batch_size=2000)
            PersonIdentifier.objects.bulk_create(
                [
                    PersonIdentifier(
                        person=p, kind=IdentifierKind.LA_ID, value=f"LA{p.pk}", issuer="Bench"
                    )
                    for p in created
                ],
                batch_size=2000,
            )
            with connection.cursor() as cursor:
                # Fresh planner statistics, as autovacuum would give a real area's tables.
                cursor.execute("ANALYZE people_person, people_personidentifier, people_personalias")
            target = created[PEOPLE // 2]
            fuzzy = SearchCriteria(text=f"{target.given_names} {target.family_name[:-1]}x")
            exact = SearchCriteria(identifier=f"LA{target.pk}")
            fuzzy_ms = timed_runs(lambda: search_persons(actor=actor, criteria=fuzzy), runs=30)
            exact_ms = timed_runs(lambda: search_persons(actor=actor, criteria=exact), runs=30)
            for p in (50, 95):
                results.append(
                    Result(
                        benchmark="Person search (fuzzy name)",
                        figure=f"p{p} latency",
                        value=percentile(fuzzy_ms, p),
                        unit="ms",
                        baseline_name="exact identifier search",
                        baseline_value=percentile(exact_ms, p),
                        data_size=f"{PEOPLE:,} persons in one area",
                    )
                )
            raise _Rollback
    except _Rollback:
        pass
    return results
