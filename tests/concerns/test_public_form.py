"""The public concern form: question pages with no sign-in, check answers, send once,
the honeypot, rate limits, size limits and bad input."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone

from clearsight.access.roles import Role
from clearsight.audit.models import AuditEvent
from clearsight.concerns import rules
from clearsight.concerns.models import Concern, ConcernSource, PublicSubmission
from clearsight.notifications.models import Notification
from tests.conftest import Cast
from tests.factories import AreaFactory, PersonFactory

pytestmark = pytest.mark.django_db


def answers(**changes: Any) -> dict[str, dict[str, Any]]:
    yesterday = timezone.localdate() - timedelta(days=1)
    pages: dict[str, dict[str, Any]] = {
        "what-you-saw": {"what_seen": "A boy of about 13 was given a parcel by a man in a car"},
        "signs": {"sign_codes": ["MON-04", "REL-01"]},
        "where": {"where_seen": "Outside the Chicken Shack, High Street", "postcode": "ls1 4ap"},
        "when": {
            "seen_on_day": str(yesterday.day),
            "seen_on_month": str(yesterday.month),
            "seen_on_year": str(yesterday.year),
            "seen_time": "9pm",
        },
        "who": {"description": "Grey tracksuit, black rucksack, looked tired"},
        "danger": {"danger": "no"},
        "work": {"sector": "retail"},
        "contact": {"reporter_name": "", "reporter_email": "", "reporter_phone": ""},
    }
    for page, values in changes.items():
        pages[page.replace("_", "-")] = {**pages[page.replace("_", "-")], **values}
    return pages


def fill_in(client: Client, pages: dict[str, dict[str, Any]]) -> None:
    for slug, data in pages.items():
        response = client.post(f"/report/{slug}/", data)
        assert response.status_code == 302, (slug, response.content.decode()[:2000])


def key_on(page: str) -> str:
    match = re.search(r'name="submission_key" value="([^"]+)"', page)
    assert match
    return match.group(1)


def send(client: Client, **extra: str) -> Any:
    check = client.get("/report/check-your-answers/")
    assert check.status_code == 200
    return client.post(
        "/report/check-your-answers/", {"submission_key": key_on(check.content.decode()), **extra}
    )


def test_a_member_of_the_public_reports_a_concern_without_signing_in(
    area: Any, client: Client
) -> None:
    assert client.get("/report/").status_code == 200
    assert "call 999" in client.get("/report/").content.decode()
    fill_in(client, answers())
    check = client.get("/report/check-your-answers/").content.decode()
    assert "Carrying money or parcels for someone else" in check
    assert "LS1 4AP" in check
    response = send(client)
    assert response.status_code == 302 and response["Location"] == "/report/sent/"
    concern = Concern.objects.get()
    assert rules.REFERENCE_PATTERN.match(concern.reference)
    assert concern.source == ConcernSource.PUBLIC
    assert concern.sector == "retail"
    assert concern.sign_codes == ["MON-04", "REL-01"]
    assert concern.seen_time is not None and concern.seen_time.hour == 21
    assert concern.area == area
    sent = client.get("/report/sent/").content.decode()
    assert concern.reference in sent
    assert "What happens next" in sent
    assert AuditEvent.objects.filter(action="concern.submitted", object_id=str(concern.pk)).exists()


def test_each_question_page_needs_an_answer_where_one_is_required(
    area: Any, client: Client
) -> None:
    page = client.post("/report/what-you-saw/", {"what_seen": "  "}).content.decode()
    assert "There is a problem" in page and "Tell us what you saw or heard" in page
    page = client.post("/report/where/", {"where_seen": "", "postcode": ""}).content.decode()
    assert "Tell us where you saw it, or give a postcode" in page
    page = client.post("/report/danger/", {}).content.decode()
    assert "Choose yes, no or I’m not sure" in page


def test_the_check_page_sends_you_back_to_the_first_unanswered_question(
    area: Any, client: Client
) -> None:
    pages = answers()
    del pages["who"]
    fill_in(client, pages)
    response = client.get("/report/check-your-answers/")
    assert response["Location"] == "/report/who/"


def test_a_changed_answer_returns_to_check_your_answers(area: Any, client: Client) -> None:
    fill_in(client, answers())
    response = client.post("/report/who/?change=1", {"description": "Blue coat"})
    assert response["Location"] == "/report/check-your-answers/"
    assert "Blue coat" in client.get("/report/check-your-answers/").content.decode()


def test_a_double_click_on_send_makes_one_concern(area: Any, client: Client) -> None:
    fill_in(client, answers())
    check = client.get("/report/check-your-answers/").content.decode()
    key = key_on(check)
    first = client.post("/report/check-your-answers/", {"submission_key": key})
    second = client.post("/report/check-your-answers/", {"submission_key": key})
    assert first.status_code == second.status_code == 302
    assert second["Location"] == "/report/sent/"
    assert Concern.objects.count() == 1
    assert PublicSubmission.objects.count() == 1
    assert Concern.objects.get().reference in client.get("/report/sent/").content.decode()


def test_the_honeypot_field_keeps_nothing_but_looks_the_same(area: Any, client: Client) -> None:
    fill_in(client, answers())
    response = send(client, website="http://spam.example")
    assert response.status_code == 200
    assert "Report sent" in response.content.decode()
    assert Concern.objects.count() == 0
    assert PublicSubmission.objects.count() == 0


@override_settings(CLEARSIGHT_PUBLIC_CONCERN_PER_IP_PER_HOUR=2)
def test_one_address_is_limited_per_hour_with_a_friendly_message_and_nothing_lost(
    area: Any,
) -> None:
    for _ in range(2):
        client = Client(REMOTE_ADDR="203.0.113.7")
        fill_in(client, answers())
        assert send(client).status_code == 302
    client = Client(REMOTE_ADDR="203.0.113.7")
    fill_in(client, answers())
    refused = send(client)
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "has not been sent yet" in page and "call 999" in page
    assert Concern.objects.count() == 2
    # The refused reporter's answers are kept; another address is not affected.
    assert client.get("/report/check-your-answers/").status_code == 200
    other = Client(REMOTE_ADDR="198.51.100.1")
    fill_in(other, answers())
    assert send(other).status_code == 302
    assert Concern.objects.count() == 3
    # An hour later the first address may send again.
    PublicSubmission.objects.update(submitted_at=timezone.now() - timedelta(hours=2))
    assert send(client).status_code == 302
    assert Concern.objects.count() == 4


@override_settings(CLEARSIGHT_PUBLIC_CONCERN_PER_HOUR=1)
def test_a_flood_from_everyone_is_limited_too(area: Any) -> None:
    first, second = Client(REMOTE_ADDR="203.0.113.1"), Client(REMOTE_ADDR="203.0.113.2")
    fill_in(first, answers())
    fill_in(second, answers())
    assert send(first).status_code == 302
    assert send(second).status_code == 429
    assert Concern.objects.count() == 1


def test_addresses_are_stored_only_as_a_keyed_hash(area: Any) -> None:
    client = Client(REMOTE_ADDR="203.0.113.99")
    fill_in(client, answers())
    send(client)
    stored = PublicSubmission.objects.get().ip_hash
    assert "203.0.113.99" not in stored and len(stored) == 64


def test_a_megabyte_of_text_is_refused_and_nothing_is_kept(area: Any, client: Client) -> None:
    page = client.post("/report/what-you-saw/", {"what_seen": "a" * 1_000_000}).content.decode()
    assert "Keep this to 5,000 characters or fewer" in page
    assert "public_concern_answers" not in client.session


def test_script_in_an_answer_is_shown_escaped(area: Any, client: Client) -> None:
    script = "<script>alert('x')</script><b>bold</b>"
    fill_in(client, answers(what_you_saw={"what_seen": script}, who={"description": script}))
    page = client.get("/report/check-your-answers/").content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    send(client)
    assert Concern.objects.get().what_seen == script


def test_a_postcode_that_is_not_a_postcode_is_refused(area: Any, client: Client) -> None:
    page = client.post("/report/where/", {"where_seen": "Park", "postcode": "LS99 ZZZZ"})
    assert "Enter a real postcode" in page.content.decode()


def test_a_date_in_the_future_is_refused(area: Any, client: Client) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    page = client.post(
        "/report/when/",
        {
            "seen_on_day": tomorrow.day,
            "seen_on_month": tomorrow.month,
            "seen_on_year": tomorrow.year,
        },
    ).content.decode()
    assert "The date must be today or in the past" in page


def test_consent_to_be_contacted_needs_a_way_to_contact(area: Any, client: Client) -> None:
    page = client.post("/report/contact/", {"consent": "yes"}).content.decode()
    assert "Give an email address or phone number" in page
    page = client.post(
        "/report/contact/", {"consent": "yes", "reporter_email": "not an email"}
    ).content.decode()
    assert "Enter an email address like name@example.com" in page


def test_an_urgent_concern_notifies_the_areas_triage_officers_at_once(
    cast: Cast, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    fill_in(client, answers(danger={"danger": "yes"}))
    assert "call now" in client.get("/report/check-your-answers/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        send(client)
    concern = Concern.objects.get()
    assert concern.is_child_in_danger_now
    officer = cast.user(Role.TRIAGE_OFFICER)
    notification = Notification.objects.get(recipient=officer)
    assert concern.reference in notification.title
    assert Notification.objects.filter(kind="concern_urgent").count() == 1
    assert len(mail.outbox) == 1


@override_settings(
    CLEARSIGHT_PUBLIC_CONCERN_POSTCODE_AREAS=["LS=leeds", "LS1=leeds-centre"],
    CLEARSIGHT_PUBLIC_CONCERN_DEFAULT_AREA="fallback",
)
def test_a_public_concern_goes_to_the_chosen_area_else_the_postcode_else_the_default(
    client: Client, db: None
) -> None:
    AreaFactory(code="fallback", name="Fallback Partnership")
    AreaFactory(code="leeds", name="Leeds Partnership")
    AreaFactory(code="leeds-centre", name="Leeds Centre Partnership")
    chosen = AreaFactory(code="york", name="York Partnership")

    fill_in(client, answers(where={"area_code": "york"}))
    send(client)
    assert Concern.objects.latest("pk").area == chosen
    for postcode, expected in [("LS1 4AP", "leeds-centre"), ("LS2 7HY", "leeds"), ("", "fallback")]:
        other = Client()
        where = {"postcode": postcode, "area_code": ""}
        fill_in(other, answers(where=where))
        send(other)
        assert Concern.objects.latest("pk").area.code == expected, postcode


def test_the_form_never_reveals_whether_a_child_is_known(area: Any, client: Client) -> None:
    PersonFactory(area=area, given_names="Tyler", family_name="Brookes")
    fill_in(client, answers(what_you_saw={"what_seen": "Tyler Brookes was carrying a parcel"}))
    send(client)
    page = client.get("/report/sent/").content.decode()
    assert "Brookes" not in page
    assert Concern.objects.get().person is None


def test_look_closer_pages_link_to_the_form_and_need_no_sign_in(area: Any, client: Client) -> None:
    index = client.get("/look-closer/").content.decode()
    assert "/look-closer/transport/" in index
    for slug in ["transport", "retail", "hotels", "banking", "taxi-and-delivery"]:
        page = client.get(f"/look-closer/{slug}/")
        assert page.status_code == 200
        body = page.content.decode()
        assert "/report/" in body and "call 999" in body
        assert "Sign:" in body
    assert client.get("/look-closer/casinos/").status_code == 404
    assert client.get("/report/nonsense/").status_code == 404


def test_old_rate_limit_rows_are_purged(area: Any) -> None:
    from clearsight.concerns.services import purge_public_submissions

    PublicSubmission.objects.create(ip_hash="a" * 64)
    old = PublicSubmission.objects.create(ip_hash="b" * 64)
    PublicSubmission.objects.filter(pk=old.pk).update(
        submitted_at=timezone.now() - timedelta(days=2)
    )
    assert purge_public_submissions() == 1
    assert PublicSubmission.objects.count() == 1
