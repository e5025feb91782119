"""The Philomena Protocol form: what police need to find a child who goes missing.

Part 1 is prepared in advance by the people caring for a child at risk of going missing
(a description, an up-to-date photo, friends, places, phones, social media, medical
needs, bank and travel cards); part 2 is the open missing episode (clothing, when,
where and with whom last seen). Carers hand the whole form to police in one click, as
a PDF, when the child is reported missing (the Philomena Protocol, adopted by police
forces and children's services across England).

The form belongs to the child, not to the placement, so it moves with them."""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Protocol

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from clearsight.access.actor import Actor
from clearsight.access.policy import may_keep_philomena_form, visible_persons
from clearsight.audit import services as audit
from clearsight.core.errors import (
    InvalidInput,
    NotFoundError,
    PermissionDeniedError,
    StaleVersionError,
)
from clearsight.missing.models import (
    PHILOMENA_PHOTO_MAX_BYTES,
    MissingEpisode,
    PhilomenaPhoto,
    PhilomenaPhotoType,
    PhilomenaProfile,
)
from clearsight.people.identifiers import IdentifierError, normalise_phone
from clearsight.people.models import Address, Person

LONG_TEXT_MAX = 5000
STALE_MESSAGE = (
    "This form was changed by someone else since you opened it. "
    "Check their changes, then make yours again."
)
# Magic numbers at the start of the file: the name and the browser's content type are
# chosen by whoever uploads, so neither is trusted.
_SIGNATURES = {
    PhilomenaPhotoType.JPEG: b"\xff\xd8\xff",
    PhilomenaPhotoType.PNG: b"\x89PNG\r\n\x1a\n",
}


_LABELS = {
    "bank_and_travel_cards": "Bank or travel cards",
    "other_information": "Anything else police should know",
}


@dataclass
class ProfileDetails:
    """Part 1 as entered. Phone numbers arrive as typed, one per item, and are
    normalised to E.164 here."""

    height: str = ""
    build: str = ""
    hair: str = ""
    eyes: str = ""
    distinguishing_features: str = ""
    general_description: str = ""
    friends_and_associates: str = ""
    places_they_go: str = ""
    phone_numbers: list[str] = field(default_factory=list)
    social_media: str = ""
    medical_needs: str = ""
    medication: str = ""
    bank_and_travel_cards: str = ""
    languages: str = ""
    other_information: str = ""


class Upload(Protocol):
    """What the view passes on from a file upload (Django's UploadedFile fits)."""

    size: int | None

    def read(self, size: int = -1) -> bytes: ...


@dataclass(frozen=True)
class PhilomenaForm:
    """Everything the form page and the PDF show."""

    person: Person
    profile: PhilomenaProfile
    photo: PhilomenaPhoto | None
    open_episode: MissingEpisode | None
    addresses: list[Address]
    can_edit: bool

    @property
    def is_started(self) -> bool:
        return self.profile.pk is not None


# --- Who may do what ------------------------------------------------------------------


def may_edit(actor: Actor) -> bool:
    return may_keep_philomena_form(actor)


def _visible_child(actor: Actor, person_id: int) -> Person:
    person = visible_persons(actor).filter(pk=person_id).first()
    if person is None or not person.is_child:
        raise NotFoundError("There is no such child you may see.")
    return person


def _editable_child(actor: Actor, person_id: int) -> Person:
    if not may_edit(actor):
        raise PermissionDeniedError("Your role cannot change the Philomena Protocol form.")
    _visible_child(actor, person_id)
    # Locking the child serialises the first save of a form, which creates it.
    return Person.objects.select_for_update().get(pk=person_id)


# --- Reads ----------------------------------------------------------------------------


def form_for_actor(*, actor: Actor, person_id: int) -> PhilomenaForm | None:
    """The child's form (an unsaved, empty one if nobody has started it), or None if
    the actor may not see the child."""
    person = (
        visible_persons(actor)
        .select_related("school", "placement_agency")
        .filter(pk=person_id)
        .first()
    )
    if person is None or not person.is_child:
        return None
    profile = PhilomenaProfile.objects.filter(person=person).select_related("updated_by").first()
    today = timezone.localdate()
    return PhilomenaForm(
        person=person,
        profile=profile or PhilomenaProfile(person=person, version=0),
        photo=_current_photo(profile, with_image=False) if profile else None,
        open_episode=MissingEpisode.objects.filter(person=person, ended_at__isnull=True).first(),
        addresses=[
            a
            for a in Address.objects.filter(person=person).order_by("-from_on", "-pk")
            if a.to_on is None or a.to_on >= today
        ],
        can_edit=may_edit(actor),
    )


def _current_photo(profile: PhilomenaProfile, *, with_image: bool) -> PhilomenaPhoto | None:
    photos = PhilomenaPhoto.objects.filter(profile=profile).select_related("uploaded_by")
    if not with_image:
        photos = photos.defer("image")
    return photos.first()


def photo_for_actor(*, actor: Actor, person_id: int, photo_id: int) -> PhilomenaPhoto | None:
    """One photo of a child the actor may see, with its bytes."""
    return (
        PhilomenaPhoto.objects.filter(
            pk=photo_id,
            profile__person_id=person_id,
            profile__person__in=visible_persons(actor),
        )
        .select_related("profile")
        .first()
    )


# --- Changes --------------------------------------------------------------------------


def _clean_details(data: ProfileDetails) -> tuple[dict[str, object], dict[str, str]]:
    errors: dict[str, str] = {}
    cleaned: dict[str, object] = {}
    for item in fields(ProfileDetails):
        name = item.name
        if name == "phone_numbers":
            continue
        value = str(getattr(data, name)).strip()
        limit = getattr(PhilomenaProfile._meta.get_field(name), "max_length", None)
        limit = limit or LONG_TEXT_MAX
        if len(value) > limit:
            label = _LABELS.get(name, name.replace("_", " ").capitalize())
            errors[name] = f"{label} must be {limit} characters or fewer"
        cleaned[name] = value
    numbers: list[str] = []
    for line, raw in enumerate(data.phone_numbers, start=1):
        if not raw.strip():
            continue
        try:
            number = normalise_phone(raw.strip())
        except IdentifierError as error:
            errors.setdefault("phone_numbers", f"Phone number on line {line}: {error}")
            continue
        if number not in numbers:
            numbers.append(number)
    cleaned["phone_numbers"] = numbers
    return cleaned, errors


@transaction.atomic
def save_profile(
    *, actor: Actor, person_id: int, expected_version: int, data: ProfileDetails
) -> PhilomenaProfile:
    """Save part 1 of the form. The version the editor started from must still be the
    current one (0 for a form nobody has saved yet), so two carers editing at once
    cannot silently overwrite each other."""
    person = _editable_child(actor, person_id)
    profile = PhilomenaProfile.objects.select_for_update().filter(person=person).first()
    current_version = profile.version if profile else 0
    if expected_version != current_version:
        raise StaleVersionError(STALE_MESSAGE)
    cleaned, errors = _clean_details(data)
    if errors:
        raise InvalidInput(errors)
    if profile is None:
        profile = PhilomenaProfile(person=person, version=0)
    for name, value in cleaned.items():
        setattr(profile, name, value)
    profile.version += 1
    profile.updated_by = actor.user
    profile.save()
    audit.record(
        action="philomena.updated",
        actor=actor,
        target=profile,
        person_id=person.pk,
        details={"version": profile.version},
    )
    return profile


def _image_type(content: bytes) -> str | None:
    for content_type, signature in _SIGNATURES.items():
        if content.startswith(signature):
            return content_type
    return None


def _decodes(content: bytes) -> bool:
    """The whole image decodes: a right signature on a truncated or doctored file is
    not enough to show it to police."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(content)) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return False
    return True


def _check_photo(upload: Upload | None, taken_on: date | None) -> tuple[bytes, str]:
    errors: dict[str, str] = {}
    content = b""
    content_type = ""
    if upload is None:
        errors["photo"] = "Select a photo of the child"
    elif (upload.size or 0) > PHILOMENA_PHOTO_MAX_BYTES:
        errors["photo"] = "The photo must be smaller than 5 MB"
    else:
        content = upload.read(PHILOMENA_PHOTO_MAX_BYTES + 1)
        found_type = _image_type(content)
        if not content:
            errors["photo"] = "The selected file is empty"
        elif len(content) > PHILOMENA_PHOTO_MAX_BYTES:
            errors["photo"] = "The photo must be smaller than 5 MB"
        elif found_type is None or not _decodes(content):
            errors["photo"] = "The photo must be a JPG or PNG"
        else:
            content_type = found_type
    if taken_on is not None and taken_on > timezone.localdate():
        errors["taken_on"] = "The date the photo was taken must be today or in the past"
    if errors:
        raise InvalidInput(errors)
    return content, content_type


@transaction.atomic
def add_photo(
    *, actor: Actor, person_id: int, upload: Upload | None, taken_on: date | None = None
) -> PhilomenaPhoto:
    """Add an up-to-date photo; the newest becomes the one police are given. Earlier
    photos are kept (police may want to see how the child's appearance has changed)."""
    person = _editable_child(actor, person_id)
    content, content_type = _check_photo(upload, taken_on)
    profile, _ = PhilomenaProfile.objects.get_or_create(
        person=person, defaults={"updated_by": actor.user}
    )
    photo = PhilomenaPhoto.objects.create(
        profile=profile,
        image=content,
        content_type=content_type,
        size=len(content),
        taken_on=taken_on,
        uploaded_by=actor.user,
        uploaded_at=timezone.now(),
    )
    audit.record(
        action="philomena.photo_added",
        actor=actor,
        target=photo,
        person_id=person.pk,
        details={"size": photo.size, "content_type": content_type},
    )
    return photo


# --- The PDF for police ----------------------------------------------------------------


def pdf_for_police(*, actor: Actor, person_id: int) -> tuple[PhilomenaForm, bytes]:
    """The whole form as an A4 PDF to hand to police, marked OFFICIAL-SENSITIVE, with
    who produced it and when on every page. The download is audited."""
    import weasyprint

    form = form_for_actor(actor=actor, person_id=person_id)
    if form is None:
        raise NotFoundError("There is no such child you may see.")
    photo = _current_photo(form.profile, with_image=True) if form.is_started else None
    photo_uri = (
        f"data:{photo.content_type};base64,{base64.b64encode(bytes(photo.image)).decode()}"
        if photo
        else ""
    )
    produced_at = timezone.localtime()
    html = render_to_string(
        "missing/philomena_pdf.html",
        {
            "form": form,
            "person": form.person,
            "profile": form.profile,
            "episode": form.open_episode,
            "photo": photo,
            "photo_uri": photo_uri,
            "age": form.person.age_on(produced_at.date()),
            "produced_by": actor.user.full_name,
            "produced_for": actor.membership.agency.name,
            "produced_at": produced_at,
        },
    )
    # Only data: URIs may be fetched; nothing leaves the server while rendering.
    fetcher = weasyprint.urls.URLFetcher(allowed_protocols={"data"}, timeout=1)
    pdf = weasyprint.HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf()
    audit.record(
        action="philomena.pdf_downloaded",
        actor=actor,
        target=form.profile if form.is_started else form.person,
        person_id=form.person.pk,
        details={"had_open_episode": form.open_episode is not None},
    )
    return form, pdf
