"""MACE packs and minutes: members only (refusals audited), every download audited,
every page watermarked with the downloader and the time, and each section present."""

from __future__ import annotations

import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape

from clearsight.access.actor import Actor
from clearsight.access.roles import Role
from clearsight.audit.models import AuditEvent
from clearsight.cases import meeting_services as ms
from clearsight.cases import packs
from clearsight.cases.services import NewAction
from clearsight.core.errors import PermissionDeniedError
from clearsight.risk.services import screen_person
from tests.cases.helpers import actor_for
from tests.conftest import Cast
from tests.factories import (
    MembershipFactory,
    MissingEpisodeFactory,
    ObservationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def _tool(name: str) -> str:
    found = shutil.which(name)
    assert found, f"{name} (poppler-utils) is needed to read the PDF"
    return found


def pdf_pages(content: bytes, tmp_path: Path) -> list[str]:
    """The text of each page (pdftotext separates pages with form feeds)."""
    path = tmp_path / "out.pdf"
    path.write_bytes(content)
    text = subprocess.run(  # noqa: S603 (a fixed binary found on PATH, our own file)
        [_tool("pdftotext"), "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [page for page in text.split("\f") if page.strip()]


@pytest.fixture
def meeting_with_child(cast: Cast):  # type: ignore[no-untyped-def]
    coordinator = actor_for(cast, Role.MACE_COORDINATOR)
    meeting = ms.schedule_meeting(
        actor=coordinator,
        title="Testshire MACE, November",
        starts_at=timezone.now() + timedelta(days=1),
        location="Civic Centre",
    )
    ms.add_member(
        actor=coordinator,
        meeting_id=meeting.pk,
        expected_version=1,
        membership=cast.members[Role.POLICE_OFFICER],
    )
    child = PersonFactory(area=cast.area, given_names="Jordan", family_name="Pakeman")
    for n in range(25):
        ObservationFactory(
            person=child,
            membership=cast.members[Role.POLICE_OFFICER],
            note=f"Seen at the station with older males, occasion {n}",
        )
    MissingEpisodeFactory(person=child, found_place="Leeds city centre")
    screen_person(child.pk)
    item = ms.add_agenda_item(
        actor=coordinator,
        meeting_id=meeting.pk,
        expected_version=2,
        kind="child",
        person_id=child.pk,
    )
    return meeting, item, child


def test_a_member_gets_a_pack_with_every_section_and_a_watermark_on_every_page(
    cast: Cast, meeting_with_child, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    meeting, item, child = meeting_with_child
    police = actor_for(cast, Role.POLICE_OFFICER)
    _, content = packs.pack_pdf(actor=police, meeting_id=meeting.pk, item_id=item.pk)
    pages = pdf_pages(content, tmp_path)
    assert len(pages) >= 2
    text = "\n".join(pages)
    for section in (
        "Summary",
        "Current risk and why",
        "Missing history",
        "Recent observations",
        "Open actions",
        "Previous decisions",
    ):
        assert section in text
    assert "Jordan Pakeman" in text and "Leeds city centre" in text
    for page in pages:
        flat = " ".join(page.split())
        assert "OFFICIAL-SENSITIVE" in flat
        assert f"Downloaded by {police.user.full_name}, {police.membership.agency.name}" in flat
        assert f"{timezone.localtime():%-d %B %Y}" in flat
    event = AuditEvent.objects.get(action="mace.pack_downloaded", person_id=child.pk)
    assert event.actor_user == police.user
    assert police.user.full_name in event.details["watermark"]


def test_each_sign_in_the_pack_names_who_saw_it_and_when(cast: Cast, meeting_with_child) -> None:  # type: ignore[no-untyped-def]
    meeting, item, _ = meeting_with_child
    context = packs.pack_context(meeting, item)
    html = render_to_string("cases/pack_pdf.html", context)
    agency = cast.members[Role.POLICE_OFFICER].agency.name
    assert context["signs"], "the child's screening counts signs"
    for sign in context["signs"]:
        seen = sorted(source.seen_on for source in sign.sources)
        assert seen and {source.agency for source in sign.sources} == {agency}
        if len(seen) == 1:
            line = f"{agency}, {seen[0]:%-d %B %Y}"
        else:
            line = f"{agency}, {len(seen)} times from {seen[0]:%-d %B}"
        assert sign.seen_by[0].startswith(line)
        assert sign.seen_by[0].endswith(f"{seen[-1]:%-d %B %Y}")
        assert escape(sign.seen_by[0]) in html
    # The column says who saw each sign, not how many times.
    assert "<th>Seen by</th>" in html and "<th>Sources</th>" not in html


def test_one_pack_rendered_to_png_for_people_to_look_at(
    cast: Cast, meeting_with_child, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    meeting, item, _ = meeting_with_child
    _, content = packs.pack_pdf(
        actor=actor_for(cast, Role.MACE_COORDINATOR), meeting_id=meeting.pk, item_id=item.pk
    )
    pdf = tmp_path / "pack.pdf"
    pdf.write_bytes(content)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(  # noqa: S603 (a fixed binary found on PATH, our own file)
        [
            _tool("pdftoppm"),
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            str(pdf),
            str(SCREENSHOTS / "mace-pack"),
        ],
        check=True,
    )
    assert list(SCREENSHOTS.glob("mace-pack*.png"))


def test_a_non_member_is_refused_and_the_refusal_is_audited(cast: Cast, meeting_with_child) -> None:  # type: ignore[no-untyped-def]
    meeting, item, _ = meeting_with_child
    # Another MACE coordinator of the area may see the meeting but does not sit on it.
    other = MembershipFactory(
        agency=cast.members[Role.MACE_COORDINATOR].agency, role=Role.MACE_COORDINATOR.value
    )
    for actor in (Actor(user=other.user, membership=other), actor_for(cast, Role.SOCIAL_WORKER)):
        with pytest.raises(PermissionDeniedError):
            packs.pack_pdf(actor=actor, meeting_id=meeting.pk, item_id=item.pk)
        with pytest.raises(PermissionDeniedError):
            packs.minutes_pdf(actor=actor, meeting_id=meeting.pk)
    assert AuditEvent.objects.filter(action="mace.pack_denied").count() == 4
    assert not AuditEvent.objects.filter(action="mace.pack_downloaded").exists()


def test_the_pack_and_minutes_pages_answer_members_and_refuse_others(
    cast: Cast, meeting_with_child, client_for
) -> None:  # type: ignore[no-untyped-def]
    meeting, item, _ = meeting_with_child
    url = f"/mace/{meeting.pk}/agenda/{item.pk}/pack.pdf"
    response = client_for(Role.POLICE_OFFICER).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "Pakeman" not in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
    for role in Role:
        if role in (Role.POLICE_OFFICER, Role.MACE_COORDINATOR):
            continue
        status = client_for(role).get(url).status_code
        assert status == 403, role
    assert client_for(Role.SOCIAL_WORKER).get(f"/mace/{meeting.pk}/minutes.pdf").status_code == 403


def test_minutes_list_each_items_decisions_and_actions(
    cast: Cast, meeting_with_child, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    meeting, item, _ = meeting_with_child
    coordinator = actor_for(cast, Role.MACE_COORDINATOR)
    ms.record_decision(
        actor=coordinator, meeting_id=meeting.pk, item_id=item.pk, text="Refer to the NRM"
    )
    ms.record_action(
        actor=coordinator,
        meeting_id=meeting.pk,
        item_id=item.pk,
        data=NewAction(
            title="Submit the NRM referral",
            owner=cast.members[Role.SOCIAL_WORKER],
            due_on=timezone.localdate() + timedelta(days=7),
        ),
    )
    _, content = packs.minutes_pdf(actor=coordinator, meeting_id=meeting.pk)
    text = " ".join("\n".join(pdf_pages(content, tmp_path)).split())
    assert "Refer to the NRM" in text and "Submit the NRM referral" in text
    assert f"Downloaded by {coordinator.user.full_name}" in text
