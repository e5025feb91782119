"""factory-boy factories for every model the tests need. Synthetic data only."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from clearsight.access.roles import Role
from clearsight.accounts.models import User
from clearsight.areas.models import Agency, AgencyType, Area, Membership

PASSWORD = "correct horse battery staple"


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Testshire Partnership {n}")
    code = factory.Sequence(lambda n: f"testshire-{n}")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    area = factory.SubFactory(AreaFactory)
    name = factory.Sequence(lambda n: f"Agency {n}")
    agency_type = AgencyType.SCHOOL


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")

    @factory.post_generation
    def password(self, create: bool, extracted: str | None, **kwargs: Any) -> None:
        # MD5 keeps the suite fast; sign-in tests that need argon2 set a password themselves.
        from django.contrib.auth.hashers import make_password

        self.password = make_password(extracted or PASSWORD, hasher="md5")
        if create:
            self.save(update_fields=["password"])


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = Role.PRACTITIONER.value


class TOTPDeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory)
    name = "Authenticator app"
    confirmed = True


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "people.Person"

    area = factory.SubFactory(AreaFactory)
    given_names = factory.Faker("first_name", locale="en_GB")
    family_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = factory.Faker("date_of_birth", minimum_age=12, maximum_age=17)


class TeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "people.TeamMember"

    person = factory.SubFactory(PersonFactory)
    membership = factory.SubFactory(MembershipFactory)
    reason = "Allocated social worker"


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "people.Address"

    person = factory.SubFactory(PersonFactory)
    line_1 = factory.Sequence(lambda n: f"{n + 1} Example Street")
    town = "Testtown"
    postcode = "TE1 1AA"


class PhilomenaProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "missing.PhilomenaProfile"

    person = factory.SubFactory(PersonFactory)
    height = "160 cm"
    build = "Slim"
    hair = "Dark brown, short"
    eyes = "Brown"


class MissingEpisodeFactory(factory.django.DjangoModelFactory):
    """A closed episode by default, ended 20 hours after the child was last seen."""

    class Meta:
        model = "missing.MissingEpisode"

    person = factory.SubFactory(PersonFactory)
    kind = "M"
    reporting_membership = factory.SubFactory(
        MembershipFactory,
        role=Role.POLICE_OFFICER.value,
        agency__area=factory.SelfAttribute("...person.area"),
    )
    reported_by = factory.SelfAttribute("reporting_membership.user")
    started_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=2))
    reported_at = factory.SelfAttribute("started_at")
    ended_at = factory.LazyAttribute(lambda o: o.started_at + timedelta(hours=20))


class ReturnHomeInterviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "missing.ReturnHomeInterview"

    episode = factory.SubFactory(MissingEpisodeFactory)
    due_at = factory.LazyAttribute(lambda o: o.episode.ended_at + timedelta(hours=72))
    state = "to_offer"


class ObservationFactory(factory.django.DjangoModelFactory):
    """An observation of a national-library indicator by a practitioner of the child's area
    (pass ``membership`` to choose the agency and author)."""

    class Meta:
        model = "risk.Observation"

    person = factory.SubFactory(PersonFactory)
    membership = factory.SubFactory(
        MembershipFactory,
        agency=factory.SubFactory(AgencyFactory, area=factory.SelfAttribute("...person.area")),
    )
    agency = factory.SelfAttribute("membership.agency")
    author = factory.SelfAttribute("membership.user")
    indicator_code = "MIS-01"
    indicator_title = "Goes missing repeatedly"
    seen_on = factory.Faker("date_between", start_date="-30d", end_date="today")
    confidence = 4
    note = ""
    source = "professional"


class ConcernFactory(factory.django.DjangoModelFactory):
    """A new public concern (no sign-in) in the given area, seen yesterday."""

    class Meta:
        model = "concerns.Concern"

    reference = factory.Sequence(lambda n: f"CS-TEST-{n:04d}"[:12])
    area = factory.SubFactory(AreaFactory)
    source = "public"
    what_seen = "Two boys of about 14 handing small parcels to adults outside the station"
    where_seen = "Northgate station"
    seen_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=1))
    description = "One in a grey tracksuit, one with a red cap"
    sign_codes = factory.LazyFunction(lambda: ["MON-04", "REL-01"])
    submission_key = factory.Sequence(lambda n: f"test-key-{n}")


class HelplineContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "concerns.HelplineContact"

    membership = factory.SubFactory(MembershipFactory, role=Role.HELPLINE_WORKER.value)
    area = factory.SelfAttribute("membership.agency.area")
    logged_by = factory.SelfAttribute("membership.user")
    channel = "call"
    caller_type = "parent_carer"
    what_was_said = "Worried her son is being sent to another town by older boys"
    risk_seen = "some"
    submission_key = factory.Sequence(lambda n: f"helpline-key-{n}")


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cases.Referral"

    person = factory.SubFactory(PersonFactory)
    service = "mace"
    reason = "Seen with older young people out of area; new phone and money"
    referred_by_membership = factory.SubFactory(
        MembershipFactory,
        role=Role.TRIAGE_OFFICER.value,
        agency__area=factory.SelfAttribute("...person.area"),
    )
    referred_by = factory.SelfAttribute("referred_by_membership.user")


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cases.Case"

    person = factory.SubFactory(PersonFactory)
    opened_by = factory.SubFactory(UserFactory)
    next_review_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(weeks=12))


class PlanActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cases.PlanAction"

    case = factory.SubFactory(CaseFactory)
    title = "Youth worker to meet weekly"
    owner = factory.SubFactory(
        MembershipFactory, agency__area=factory.SelfAttribute("...case.person.area")
    )
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=14))
    created_by = factory.SelfAttribute("owner.user")


class MaceMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cases.MaceMeeting"

    area = factory.SubFactory(AreaFactory)
    title = "Testshire MACE"
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
    created_by = factory.SubFactory(UserFactory)


class MeetingMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cases.MeetingMember"

    meeting = factory.SubFactory(MaceMeetingFactory)
    membership = factory.SubFactory(MembershipFactory)
    added_by = factory.SelfAttribute("membership.user")


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cases.AgendaItem"

    meeting = factory.SubFactory(MaceMeetingFactory)
    kind = "child"
    person = factory.SubFactory(PersonFactory, area=factory.SelfAttribute("..meeting.area"))
    added_by = factory.SelfAttribute("meeting.created_by")


class NrmReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cases.NrmReferral"

    person = factory.SubFactory(PersonFactory)
    first_responder_organisation = "Testshire Children's Services"
    submitted_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=60))
    recorded_by = factory.SubFactory(UserFactory)


# --- Intelligence and contexts (issue 10). Numbers use Ofcom's drama ranges. ------------


class PhoneNumberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "intel.PhoneNumber"

    area = factory.SubFactory(AreaFactory)
    number = factory.Sequence(lambda n: f"+447700900{n % 1000:03d}")
    created_by = factory.SubFactory(UserFactory)


class IntelAddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "intel.IntelAddress"

    area = factory.SubFactory(AreaFactory)
    line_1 = factory.Sequence(lambda n: f"{n + 1} Canal Street")
    postcode = "LS1 4AP"
    created_by = factory.SubFactory(UserFactory)


class VehicleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "intel.Vehicle"

    area = factory.SubFactory(AreaFactory)
    registration = factory.Sequence(lambda n: f"AB{n % 100:02d}CDE")
    created_by = factory.SubFactory(UserFactory)


class IntelGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "intel.IntelGroup"

    area = factory.SubFactory(AreaFactory)
    name = factory.Sequence(lambda n: f"Synthetic Line {n}")
    created_by = factory.SubFactory(UserFactory)


class LinkFactory(factory.django.DjangoModelFactory):
    """An accepted link from a phone to a person in the same area, graded 1/B/P."""

    class Meta:
        model = "intel.Link"

    class Params:
        phone = factory.SubFactory(PhoneNumberFactory)
        person = factory.SubFactory(PersonFactory, area=factory.SelfAttribute("..phone.area"))

    area = factory.SelfAttribute("phone.area")
    from_kind = "phone"
    from_id = factory.SelfAttribute("phone.pk")
    to_kind = "person"
    to_id = factory.SelfAttribute("person.pk")
    link_type = "contacted"
    source = "Synthetic source"
    source_evaluation = "1"
    intelligence_assessment = "B"
    handling_code = "P"


class PhoneDataImportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "intel.PhoneDataImport"

    created_by_membership = factory.SubFactory(
        MembershipFactory, role=Role.INTELLIGENCE_ANALYST.value
    )
    created_by = factory.SelfAttribute("created_by_membership.user")
    area = factory.SelfAttribute("created_by_membership.agency.area")
    file_name = "records.csv"
    stored_path = "/nonexistent/records.csv"
    source = "Synthetic provider"


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "contexts.Location"

    area = factory.SubFactory(AreaFactory)
    name = factory.Sequence(lambda n: f"Northgate Park {n}")
    location_type = "park"
    created_by = factory.SubFactory(UserFactory)


class PeerGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "contexts.PeerGroup"

    area = factory.SubFactory(AreaFactory)
    name = factory.Sequence(lambda n: f"Synthetic peer group {n}")
    created_by = factory.SubFactory(UserFactory)
