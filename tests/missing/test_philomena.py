"""The Philomena Protocol form: who may read and change it, bad input, the photo and the
PDF for police."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from clearsight.access.actor import Actor
from clearsight.access.roles import Capability, Role, role_can
from clearsight.audit.models import AuditEvent
from clearsight.core.errors import PermissionDeniedError, StaleVersionError
from clearsight.missing import philomena
from clearsight.missing.models import (
    PHILOMENA_PHOTO_MAX_BYTES,
    MissingEpisode,
    PhilomenaPhoto,
    PhilomenaProfile,
)
from clearsight.people.models import Person, PersonKind
from tests.conftest import Cast
from tests.factories import (
    AddressFactory,
    PersonFactory,
    PhilomenaProfileFactory,
    TeamMemberFactory,
)

pytestmark = pytest.mark.django_db

AREA_WIDE = {
    Role.TRIAGE_OFFICER,
    Role.MACE_COORDINATOR,
    Role.MISSING_COORDINATOR,
    Role.POLICE_OFFICER,
    Role.INTELLIGENCE_ANALYST,
}


def sees_child(role: Role) -> bool:
    """The child's team is the social worker; area-wide roles see every child."""
    return role_can(role, Capability.VIEW_CHILDREN) and (
        role in AREA_WIDE or role is Role.SOCIAL_WORKER
    )


def may_edit(role: Role) -> bool:
    return role_can(role, Capability.RECORD_MISSING_EPISODES) or role_can(
        role, Capability.MANAGE_CASES
    )


@pytest.fixture
def child(cast: Cast) -> Person:
    from clearsight.areas.models import AgencyType

    person = PersonFactory(
        area=cast.area,
        given_names="Kai",
        family_name="Morgan",
        placement_agency=cast.agencies[AgencyType.VOLUNTARY_SECTOR],
    )
    TeamMemberFactory(person=person, membership=cast.members[Role.SOCIAL_WORKER])
    AddressFactory(person=person, line_1="1 Fictional Row", town="Testtown", postcode="TE1 1ST")
    return person


def actor(cast: Cast, role: Role) -> Actor:
    membership = cast.members[role]
    return Actor(user=membership.user, membership=membership)


def image_bytes(kind: str = "JPEG", size: tuple[int, int] = (40, 50)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 90)).save(buffer, kind)
    return buffer.getvalue()


def profile_data(**changes: str) -> dict[str, str]:
    data = {
        "version": "0",
        "height": "163 cm",
        "build": "Slim",
        "hair": "Short, dark brown",
        "eyes": "Brown",
        "distinguishing_features": "Small scar above left eyebrow",
        "friends_and_associates": "Jay (about 19), often at the arcade",
        "places_they_go": "Testtown bus station\nRiverside park",
        "phone_numbers": "07700 900982\n+44 7700 900123",
        "social_media": "Snapchat: kai_example",
        "medical_needs": "Asthma",
        "medication": "Blue inhaler as needed",
        "bank_and_travel_cards": "Testtown youth bus pass",
        "languages": "English",
    }
    data.update(changes)
    return data


def pdf_text(content: bytes) -> str:
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext (poppler-utils) is needed to read the PDF"
    result = subprocess.run(  # noqa: S603 (a fixed binary found on PATH, bytes on stdin)
        [pdftotext, "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return result.stdout.decode()


def open_episode(cast: Cast, child: Person, **fields: str) -> MissingEpisode:
    member = cast.members[Role.POLICE_OFFICER]
    started = timezone.now() - timedelta(hours=3)
    return MissingEpisode.objects.create(
        person=child,
        reported_at=started + timedelta(hours=1),
        reported_by=member.user,
        reporting_membership=member,
        started_at=started,
        **fields,
    )


# --- Who may do what ------------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role))
def test_anyone_who_may_see_the_child_may_read_the_form(
    role: Role, child: Person, client_for
) -> None:  # type: ignore[no-untyped-def]
    response = client_for(role).get(f"/missing/philomena/{child.pk}/")
    if sees_child(role):
        assert response.status_code == 200
        assert "Philomena Protocol form" in response.content.decode()
    else:
        assert response.status_code == (404 if role_can(role, Capability.VIEW_CHILDREN) else 403)


@pytest.mark.parametrize("page", ["edit", "photo"])
@pytest.mark.parametrize("role", list(Role))
def test_only_those_who_see_the_child_and_record_missing_or_manage_cases_may_change_it(
    role: Role, page: str, child: Person, client_for
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(role)
    url = f"/missing/philomena/{child.pk}/{page}/"
    expected = 200 if sees_child(role) and may_edit(role) else (404 if may_edit(role) else 403)
    assert client.get(url).status_code == expected
    if page == "edit":
        client.post(url, profile_data())
    else:
        client.post(url, {"photo": SimpleUploadedFile("kai.jpg", image_bytes())})
    assert PhilomenaProfile.objects.exists() == (expected == 200)


@pytest.mark.parametrize("role", list(Role))
def test_pdf_and_photo_are_given_only_to_those_who_may_see_the_child(
    role: Role, cast: Cast, child: Person, client_for
) -> None:  # type: ignore[no-untyped-def]
    photo = philomena.add_photo(
        actor=actor(cast, Role.SOCIAL_WORKER),
        person_id=child.pk,
        upload=SimpleUploadedFile("kai.png", image_bytes("PNG")),
    )
    client = client_for(role)
    pdf = client.get(f"/missing/philomena/{child.pk}/pdf/")
    image = client.get(f"/missing/philomena/{child.pk}/photo/{photo.pk}/")
    if sees_child(role):
        assert (pdf.status_code, image.status_code) == (200, 200)
    else:
        refused = 404 if role_can(role, Capability.VIEW_CHILDREN) else 403
        assert (pdf.status_code, image.status_code) == (refused, refused)
        assert not AuditEvent.objects.filter(action="philomena.pdf_downloaded").exists()


def test_a_role_that_cannot_change_the_form_is_refused_by_the_service(
    cast: Cast, child: Person
) -> None:
    with pytest.raises(PermissionDeniedError):
        philomena.save_profile(
            actor=actor(cast, Role.TRIAGE_OFFICER),
            person_id=child.pk,
            expected_version=0,
            data=philomena.ProfileDetails(height="160 cm"),
        )
    assert not PhilomenaProfile.objects.exists()


def test_an_adult_has_no_philomena_form(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    adult = PersonFactory(area=cast.area, kind=PersonKind.ADULT)
    assert client_for(Role.POLICE_OFFICER).get(f"/missing/philomena/{adult.pk}/").status_code == 404


# --- Part 1 ---------------------------------------------------------------------------


def test_saving_part_1_normalises_phone_numbers_and_is_audited(
    cast: Cast, child: Person, client_for
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.SOCIAL_WORKER)
    response = client.post(f"/missing/philomena/{child.pk}/edit/", profile_data())
    assert response["Location"] == f"/missing/philomena/{child.pk}/"
    profile = PhilomenaProfile.objects.get(person=child)
    assert profile.phone_numbers == ["+447700900982", "+447700900123"]
    assert profile.version == 1
    assert profile.updated_by == cast.user(Role.SOCIAL_WORKER)
    event = AuditEvent.objects.get(action="philomena.updated")
    assert event.person_id == child.pk
    page = client.get(f"/missing/philomena/{child.pk}/").content.decode()
    assert "Small scar above left eyebrow" in page and "+447700900982" in page
    assert AuditEvent.objects.filter(action="philomena.viewed", person_id=child.pk).exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"phone_numbers": "07700 900982\nnot a phone"},
            "Phone number on line 2: Enter a phone number",
        ),
        ({"phone_numbers": "0770090"}, "Phone number on line 1: Enter a real phone number"),
        ({"height": "x" * 61}, "Height must be 60 characters or fewer"),
    ],
    ids=["not a number", "too few digits", "too long"],
)
def test_bad_part_1_shows_the_error_summary_and_saves_nothing(
    changes: dict[str, str], message: str, child: Person, client_for
) -> None:  # type: ignore[no-untyped-def]
    response = client_for(Role.SOCIAL_WORKER).post(
        f"/missing/philomena/{child.pk}/edit/", profile_data(**changes)
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in page and message in page
    assert not PhilomenaProfile.objects.exists()


def test_a_stale_version_is_refused_with_changed_by_someone_else(
    cast: Cast, child: Person, client_for
) -> None:  # type: ignore[no-untyped-def]
    PhilomenaProfileFactory(person=child, height="150 cm", version=2)
    response = client_for(Role.POLICE_OFFICER).post(
        f"/missing/philomena/{child.pk}/edit/", profile_data(version="1", height="170 cm")
    )
    assert response.status_code == 400
    assert "changed by someone else" in response.content.decode()
    profile = PhilomenaProfile.objects.get(person=child)
    assert (profile.height, profile.version) == ("150 cm", 2)
    with pytest.raises(StaleVersionError):
        philomena.save_profile(
            actor=actor(cast, Role.SOCIAL_WORKER),
            person_id=child.pk,
            expected_version=0,
            data=philomena.ProfileDetails(),
        )


def test_the_form_stays_with_the_child_when_their_placement_changes(
    cast: Cast, child: Person, client_for
) -> None:  # type: ignore[no-untyped-def]
    from clearsight.areas.models import AgencyType

    client = client_for(Role.SOCIAL_WORKER)
    client.post(f"/missing/philomena/{child.pk}/edit/", profile_data())
    before = PhilomenaProfile.objects.get(person=child)
    Person.objects.filter(pk=child.pk).update(
        placement_agency=cast.agencies[AgencyType.CHILDRENS_SOCIAL_CARE]
    )
    client.post(f"/missing/philomena/{child.pk}/edit/", profile_data(version="1", build="Medium"))
    after = PhilomenaProfile.objects.get(person=child)
    assert after.pk == before.pk and after.build == "Medium" and after.version == 2
    text = pdf_text(client.get(f"/missing/philomena/{child.pk}/pdf/").content)
    assert "Testshire Children's social care" in text or "Testshire Children" in text


# --- The photo ------------------------------------------------------------------------


def test_a_photo_is_stored_and_served_only_through_the_audited_no_store_view(
    cast: Cast, child: Person, client_for
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.MISSING_COORDINATOR)
    content = image_bytes("PNG")
    response = client.post(
        f"/missing/philomena/{child.pk}/photo/",
        {
            "photo": SimpleUploadedFile("kai.jpg", content, content_type="image/jpeg"),
            "taken_on_day": "1",
            "taken_on_month": "9",
            "taken_on_year": "2026",
        },
    )
    assert response["Location"] == f"/missing/philomena/{child.pk}/"
    photo = PhilomenaPhoto.objects.get()
    # The content decides the type, not the name or what the browser said.
    assert (photo.content_type, photo.size, bytes(photo.image)) == (
        "image/png",
        len(content),
        content,
    )
    page = client.get(f"/missing/philomena/{child.pk}/").content.decode()
    assert f"/missing/philomena/{child.pk}/photo/{photo.pk}/" in page
    served = client.get(f"/missing/philomena/{child.pk}/photo/{photo.pk}/")
    assert served["Content-Type"] == "image/png" and served["Cache-Control"] == "no-store"
    assert served.content == content
    assert (
        AuditEvent.objects.filter(action="philomena.photo_viewed", person_id=child.pk).count() == 1
    )
    assert (
        AuditEvent.objects.filter(action="philomena.photo_added", person_id=child.pk).count() == 1
    )


def test_the_newest_photo_is_the_current_one(cast: Cast, child: Person) -> None:
    social_worker = actor(cast, Role.SOCIAL_WORKER)
    philomena.add_photo(
        actor=social_worker,
        person_id=child.pk,
        upload=SimpleUploadedFile("old.jpg", image_bytes()),
    )
    newest = philomena.add_photo(
        actor=social_worker,
        person_id=child.pk,
        upload=SimpleUploadedFile("new.png", image_bytes("PNG")),
    )
    found = philomena.form_for_actor(actor=social_worker, person_id=child.pk)
    assert found is not None and found.photo is not None and found.photo.pk == newest.pk


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            lambda: SimpleUploadedFile(
                "big.jpg", b"\xff\xd8\xff" + b"\0" * PHILOMENA_PHOTO_MAX_BYTES
            ),
            "The photo must be smaller than 5 MB",
        ),
        (
            lambda: SimpleUploadedFile("notes.txt", b"Hello", content_type="text/plain"),
            "The photo must be a JPG or PNG",
        ),
        (
            lambda: SimpleUploadedFile(
                "kai.jpg", b"this is text pretending to be a photo", content_type="image/jpeg"
            ),
            "The photo must be a JPG or PNG",
        ),
        (
            lambda: SimpleUploadedFile("kai.png", image_bytes("PNG")[:40]),
            "The photo must be a JPG or PNG",
        ),
        (
            lambda: SimpleUploadedFile("gif.png", image_bytes("GIF")),
            "The photo must be a JPG or PNG",
        ),
        (lambda: None, "Select a photo of the child"),
    ],
    ids=["too big", "not an image", "text named jpg", "truncated png", "gif named png", "none"],
)
def test_bad_photos_are_refused_with_the_error_summary(
    upload, message: str, child: Person, client_for
) -> None:  # type: ignore[no-untyped-def]
    file = upload()
    data = {"photo": file} if file is not None else {}
    response = client_for(Role.SOCIAL_WORKER).post(f"/missing/philomena/{child.pk}/photo/", data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in page and message in page
    assert not PhilomenaPhoto.objects.exists()
    assert not PhilomenaProfile.objects.exists()


def test_a_photo_taken_in_the_future_is_refused(child: Person, client_for) -> None:  # type: ignore[no-untyped-def]
    later = timezone.localdate() + timedelta(days=3)
    response = client_for(Role.SOCIAL_WORKER).post(
        f"/missing/philomena/{child.pk}/photo/",
        {
            "photo": SimpleUploadedFile("kai.jpg", image_bytes()),
            "taken_on_day": str(later.day),
            "taken_on_month": str(later.month),
            "taken_on_year": str(later.year),
        },
    )
    assert response.status_code == 400
    assert "must be today or in the past" in response.content.decode()
    assert not PhilomenaPhoto.objects.exists()


# --- The PDF for police ---------------------------------------------------------------


def test_the_pdf_has_both_parts_the_photo_and_the_markings(
    cast: Cast, child: Person, client_for
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.SOCIAL_WORKER)
    client.post(f"/missing/philomena/{child.pk}/edit/", profile_data())
    philomena.add_photo(
        actor=actor(cast, Role.SOCIAL_WORKER),
        person_id=child.pk,
        upload=SimpleUploadedFile("kai.jpg", image_bytes()),
    )
    open_episode(
        cast,
        child,
        clothing="Red hooded top, grey joggers",
        last_seen_place="Testtown bus station",
        last_seen_with="Two older boys",
    )
    response = client_for(Role.POLICE_OFFICER).get(f"/missing/philomena/{child.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Morgan" not in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
    assert response.content.startswith(b"%PDF")
    assert b"/Subtype /Image" in response.content or b"/Subtype/Image" in response.content
    text = pdf_text(response.content)
    for expected in (
        "Philomena Protocol — for police",
        "Kai Morgan",
        "Red hooded top, grey joggers",
        "Testtown bus station",
        "Two older boys",
        "Small scar above left eyebrow",
        "+447700900982",
        "1 Fictional Row",
        "Testshire Voluntary",
        "OFFICIAL-SENSITIVE",
        "Produced by Test Police officer",
        "(UK time)",
    ):
        assert expected in text, expected
    assert text.count("OFFICIAL-SENSITIVE") >= 2
    events = AuditEvent.objects.filter(action="philomena.pdf_downloaded")
    assert events.count() == 1 and events.get().person_id == child.pk


def test_the_pdf_says_not_currently_missing_without_an_open_episode(
    child: Person, client_for
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.MISSING_COORDINATOR)
    first = client.get(f"/missing/philomena/{child.pk}/pdf/")
    client.get(f"/missing/philomena/{child.pk}/pdf/")
    text = pdf_text(first.content)
    assert "Kai Morgan" in text and "Not currently missing" in text
    assert "No photo on the form" in text
    assert AuditEvent.objects.filter(action="philomena.pdf_downloaded").count() == 2


def test_the_pdf_fetches_nothing_from_the_network(cast: Cast, child: Person, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import urllib.request

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("The PDF tried to fetch a URL")

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", refuse)
    PhilomenaProfileFactory(person=child, other_information='<img src="https://example.org/x.png">')
    _, content = philomena.pdf_for_police(
        actor=actor(cast, Role.POLICE_OFFICER), person_id=child.pk
    )
    assert content.startswith(b"%PDF")
    assert '<img src="https://example.org/x.png">' in pdf_text(content)


def test_the_child_page_and_the_episode_page_link_to_the_form(
    cast: Cast, child: Person, client_for
) -> None:  # type: ignore[no-untyped-def]
    episode = open_episode(cast, child)
    client = client_for(Role.SOCIAL_WORKER)
    link = f"/missing/philomena/{child.pk}/"
    assert link in client.get(f"/people/{child.pk}/").content.decode()
    assert link in client.get(f"/missing/{episode.pk}/").content.decode()
