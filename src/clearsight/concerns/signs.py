"""The signs a member of the public or sector staff can pick, and the Look Closer guidance
for each sector. Each sign is an indicator of the published library, named by its code,
with wording a nine-year-old could read; a sign the library no longer has is not offered.
The child is always a child at risk, never an offender."""

from __future__ import annotations

from dataclasses import dataclass

from clearsight.concerns.models import Sector
from clearsight.risk.selectors import current_library

# Indicator code -> what a passer-by would see, in plain words.
PUBLIC_SIGNS: dict[str, str] = {
    "MIS-03": "Travelling alone, often or far, with tickets someone else paid for",
    "MIS-02": "Far from home, or does not seem to know the area",
    "MIS-04": "Out very late at night or overnight",
    "MIS-05": "Seen again and again at the same place, like a station, park or flat",
    "REL-01": "With older people who seem to be in charge of them",
    "REL-05": "Seems scared of someone",
    "PHN-01": "Has more than one phone",
    "PHN-02": "Gets lots of calls or messages that seem to scare them",
    "MON-01": "Has lots of cash they could not have earned",
    "MON-02": "Has new clothes, trainers or phones they could not afford",
    "MON-04": "Carrying money or parcels for someone else",
    "BEH-04": "Talks about ‘going country’, ‘a job’ or ‘a line’",
    "BEH-05": "Looks tired, hungry, dirty or not cared for",
    "HRM-01": "Has cuts, bruises or other injuries",
    "HRM-02": "Has a stab or slash wound",
    "DRG-01": "Carrying a knife or other weapon",
    "DRG-02": "Has things used for drugs, like small bags or scales",
    "DRG-04": "Seems to be selling or passing on drugs",
    "HOM-01": "Strangers staying in a home, or lots of people coming and going",
}


def public_sign_choices() -> list[tuple[str, str]]:
    """The signs to offer, in the order above, that the national library publishes now."""
    published = set(current_library(None).indicators.values_list("code", flat=True))
    return [(code, label) for code, label in PUBLIC_SIGNS.items() if code in published]


@dataclass(frozen=True)
class SectorGuide:
    slug: str
    sector: Sector
    title: str
    who: str
    why: str
    # (indicator code, what it can look like in this line of work)
    signs: tuple[tuple[str, str], ...]


SECTOR_GUIDES: tuple[SectorGuide, ...] = (
    SectorGuide(
        slug="transport",
        sector=Sector.TRANSPORT,
        title="Transport: buses, trains, coaches and stations",
        who="drivers, guards, ticket office staff, station staff and transport police",
        why=(
            "Children are sent by train and coach to carry drugs and money between towns. "
            "This is often called ‘county lines’. You may be one of the few adults who "
            "sees them on the way."
        ),
        signs=(
            (
                "MIS-03",
                "A child travelling alone, often, or a long way, with a ticket someone else bought",
            ),
            ("MIS-02", "A child who does not know where they are, or is far from home"),
            ("MIS-04", "A child travelling late at night or in school hours"),
            ("REL-01", "Older people who buy the child’s ticket or tell them where to go"),
            ("PHN-02", "A child who keeps getting calls and seems scared to miss one"),
            ("MON-04", "A child holding on tightly to a bag or parcel"),
            ("BEH-05", "A child who looks tired, hungry or not cared for"),
        ),
    ),
    SectorGuide(
        slug="retail",
        sector=Sector.RETAIL,
        title="Shops and fast food",
        who="shop staff, security staff, takeaway and fast-food staff",
        why=(
            "People who exploit children often buy them food, drinks or clothes to win "
            "their trust, and meet them in shops and takeaways."
        ),
        signs=(
            ("REL-01", "Older people buying food or drinks for groups of children"),
            ("MON-01", "A child paying with lots of cash"),
            ("MON-02", "A child with new clothes, trainers or phones they could not afford"),
            ("PHN-01", "A child buying phones, SIM cards or top-ups, often with cash"),
            ("MIS-05", "The same children waiting around for hours, or late at night"),
            ("BEH-05", "A child who looks tired, hungry or not cared for"),
        ),
    ),
    SectorGuide(
        slug="hotels",
        sector=Sector.HOTELS,
        title="Hotels and short stays",
        who="reception, housekeeping, security and night staff in hotels, hostels and "
        "short-let homes",
        why=(
            "Children are kept in hotel rooms and short lets to sell drugs away from home, "
            "or to be harmed."
        ),
        signs=(
            ("MIS-04", "A child staying overnight with adults who are not their family"),
            ("MIS-02", "A child who does not know the area or the name of the hotel"),
            ("REL-01", "An adult who books the room and does the talking for the child"),
            ("HOM-01", "Lots of visitors going in and out of a room"),
            ("DRG-02", "Small bags, scales or lots of cash left in a room"),
            ("PHN-01", "A child with more than one phone"),
            ("HRM-01", "A child with cuts, bruises or other injuries"),
        ),
    ),
    SectorGuide(
        slug="banking",
        sector=Sector.BANKING,
        title="Banks and money services",
        who="bank, building society, post office and money transfer staff",
        why=(
            "Children’s bank accounts are used to move money for others. This is often "
            "called being a ‘money mule’. Children may also be made to pay back a ‘debt’."
        ),
        signs=(
            ("MON-01", "A child paying in or taking out large amounts of cash"),
            ("MON-04", "Money passing through a child’s account for someone else"),
            ("REL-01", "An adult with the child who does the talking or holds the card"),
            ("REL-05", "A child who seems scared or under pressure"),
            ("PHN-01", "A child who uses more than one phone number"),
        ),
    ),
    SectorGuide(
        slug="taxi-and-delivery",
        sector=Sector.TAXI_DELIVERY,
        title="Taxis and delivery",
        who="taxi and private hire drivers, dispatchers, and delivery drivers and riders",
        why=(
            "Children are moved by taxi between towns and addresses, and are used to deliver "
            "drugs and collect money."
        ),
        signs=(
            ("MIS-03", "A child taking long trips alone, paid for by someone else in cash"),
            ("MIS-04", "A child picked up or dropped off late at night"),
            ("MIS-05", "Trips to and from the same address again and again"),
            ("MON-04", "A child dropping off or collecting small parcels"),
            ("HOM-01", "A home where lots of people come and go for a short time"),
            ("DRG-01", "A child carrying a knife or other weapon"),
        ),
    ),
)


def sector_guide(slug: str) -> SectorGuide | None:
    return next((guide for guide in SECTOR_GUIDES if guide.slug == slug), None)


def indicator_titles_for(guide: SectorGuide) -> dict[str, str]:
    """Each sign's title in the published national library, to show where it comes from."""
    codes = [code for code, _ in guide.signs]
    library = current_library(None)
    return dict(library.indicators.filter(code__in=codes).values_list("code", "title"))
