"""What a phone data import's rows show once staged: the numbers that behave like deal
lines (``deal_lines.ContactCounter``'s rules, worked out by PostgreSQL over the staging
table), and the children's numbers in contact with each, for whom a link is proposed
for an analyst's review, worded as a risk to the child (phone_imports.py runs them)."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Q

from clearsight.access.actor import Actor
from clearsight.access.policy import visible_persons
from clearsight.intel.deal_lines import (
    FLARE_MIN_MESSAGES,
    FLARE_WINDOW_SECONDS,
    MIN_DISTINCT_CONTACTS,
    MIN_FLARES,
    MIN_SHORT_CALL_SHARE,
    SHORT_CALL_SECONDS,
    LikelyDealLine,
)
from clearsight.intel.models import (
    Link,
    LinkType,
    NodeKind,
    PhoneDataImport,
    PhoneNumber,
    ProposedFrom,
)
from clearsight.intel.services import propose_link
from clearsight.people.choices import PersonKind
from clearsight.people.models import Phone


def import_ref(phone_import: PhoneDataImport) -> str:
    """How the links an import proposed name it, so a re-run can remove them first."""
    return f"phone_import:{phone_import.pk}"


# deal_lines.ContactCounter's rules in SQL: senders with many distinct contacts, their
# bursts of messages in fixed windows, and their share of short calls.
_DEAL_LINES = """
WITH senders AS (
    SELECT caller,
           count(DISTINCT callee) AS contacts,
           count(*) FILTER (WHERE NOT is_message) AS calls,
           count(*) FILTER (WHERE NOT is_message AND duration < %(short)s) AS short_calls
    FROM {table} GROUP BY caller HAVING count(DISTINCT callee) >= %(contacts)s
), bursts AS (
    SELECT caller, count(*) AS flares FROM (
        SELECT caller FROM {table}
        WHERE is_message AND caller IN (SELECT caller FROM senders)
        GROUP BY caller, floor(extract(epoch FROM at) / %(window)s)
        HAVING count(*) >= %(burst)s
    ) windows GROUP BY caller
)
SELECT senders.caller, senders.contacts, COALESCE(bursts.flares, 0), senders.calls,
       senders.short_calls
FROM senders LEFT JOIN bursts USING (caller)
"""


def likely_deal_lines(table: str) -> list[LikelyDealLine]:
    """The numbers in an import's staging table that behave like deal lines, most
    contacts first."""
    with connection.cursor() as cursor:
        cursor.execute(
            _DEAL_LINES.format(table=table),
            {
                "short": SHORT_CALL_SECONDS,
                "contacts": MIN_DISTINCT_CONTACTS,
                "window": FLARE_WINDOW_SECONDS,
                "burst": FLARE_MIN_MESSAGES,
            },
        )
        rows = cursor.fetchall()
    found = []
    for number, contacts, flares, calls, short_calls in rows:
        short_share = short_calls / calls if calls else 0.0
        if flares >= MIN_FLARES or short_share >= MIN_SHORT_CALL_SHARE:
            found.append(LikelyDealLine(number, contacts, flares, short_share))
    return sorted(found, key=lambda line: (-line.distinct_contacts, line.number))


def with_children(
    phone_import: PhoneDataImport, lines: list[LikelyDealLine]
) -> list[dict[str, Any]]:
    """Each likely deal line with the children's numbers in contact with it; for each
    such child a link is proposed for review, worded as a risk to the child."""
    actor = Actor(phone_import.created_by, phone_import.created_by_membership)
    area_phones = PhoneNumber.objects.filter(area_id=phone_import.area_id)
    line_ids = dict(
        area_phones.filter(number__in=[line.number for line in lines]).values_list("number", "pk")
    )
    children_by_phone: dict[int, list[tuple[int, str]]] = {}
    if lines:
        child_phones = dict(
            Phone.objects.filter(
                person__in=visible_persons(actor).filter(kind=PersonKind.CHILD)
            ).values_list("number", "person_id")
        )
        registered = area_phones.filter(number__in=list(child_phones)).values_list("number", "pk")
        for number, phone_id in registered:
            children_by_phone.setdefault(phone_id, []).append((child_phones[number], number))
    listed = []
    for line in lines:
        line_id = line_ids[line.number]
        children = _children_in_contact(phone_import, line_id, children_by_phone)
        for person_id, number, contacts in children:
            propose_link(
                area_id=phone_import.area_id,
                from_node=(NodeKind.PERSON, person_id),
                to_node=(NodeKind.PHONE, line_id),
                link_type=LinkType.CONTACTED,
                source=f"Phone data import {phone_import.pk}: {phone_import.source}"[:300],
                proposed_from=ProposedFrom.PHONE_DATA,
                proposed_ref=import_ref(phone_import),
                note=f"Risk to the child: their number {number} was in contact {contacts} "
                f"times with {line.number}, a number that behaves like a deal line. A pattern "
                "for review, not a finding.",
            )
        listed.append(
            {
                "number": line.number,
                "phone_id": line_id,
                "distinct_contacts": line.distinct_contacts,
                "flare_bursts": line.flare_bursts,
                "short_call_share": round(line.short_call_share, 3),
                "reasons": line.reasons,
                "children": [
                    {"person_id": person_id, "number": number, "contacts": contacts}
                    for person_id, number, contacts in children
                ],
            }
        )
    return listed


def _children_in_contact(
    phone_import: PhoneDataImport, line_id: int, children_by_phone: dict[int, list[tuple[int, str]]]
) -> list[tuple[int, str, int]]:
    if not children_by_phone:
        return []
    touching = Link.objects.filter(
        area_id=phone_import.area_id,
        proposed_from=ProposedFrom.PHONE_DATA,
        proposed_ref=import_ref(phone_import),
    ).filter(
        Q(from_id=line_id, to_id__in=list(children_by_phone))
        | Q(to_id=line_id, from_id__in=list(children_by_phone))
    )
    contacts: dict[int, int] = {}
    for from_id, to_id, count in touching.values_list("from_id", "to_id", "contact_count"):
        child_phone = to_id if from_id == line_id else from_id
        contacts[child_phone] = contacts.get(child_phone, 0) + count
    return sorted(
        (person_id, number, count)
        for phone_id, count in contacts.items()
        for person_id, number in children_by_phone[phone_id]
    )
