"""Short invented phrases for free-text fields (notes, places, interview summaries).
Nothing here describes a real person or place."""

from __future__ import annotations

OBSERVATION_NOTES = (
    "Seen with older young people outside the shops after school.",
    "Has new trainers and a second phone; would not say where from.",
    "Arrived late and tired; said they had been 'out with mates'.",
    "Staff noticed cash in their bag and a train ticket to another town.",
    "Parent reports they are out until late and will not say where.",
    "Unexplained bruising on the arm; said it was from football.",
    "Several missed lessons this week; seen at the station at lunchtime.",
    "Receiving a lot of calls and messages during sessions, seemed anxious.",
    "Picked up by an unknown car at the end of the day.",
    "Said someone 'owes' them and they have to pay it back.",
    "",
    "",
)
LAST_SEEN = (
    "Children's home, leaving after tea",
    "Home address, went out after an argument",
    "School gates at the end of the day",
    "Town centre bus station",
    "Friend's house",
    "Retail park",
    "Railway station",
    "Park near home",
)
CLOTHING = (
    "Black hooded top, grey joggers, white trainers",
    "Navy puffer jacket, black jeans",
    "School uniform, black rucksack",
    "Grey tracksuit, black cap",
    "Red coat, blue jeans, white trainers",
)
FOUND_PLACES = (
    "Home address",
    "Friend's house in the area",
    "Town centre",
    "Railway station",
    "Fast-food restaurant",
    "Hospital emergency department",
)
FOUND_WITH = ("Alone", "With friends of the same age", "With older males", "With a group")
HOW_RETURNED = (
    "Returned of own accord",
    "Found by police",
    "Collected by carer",
    "Brought back by police from another area",
)
WHAT_HAPPENED = (
    "Said they stayed with friends and lost track of time.",
    "Would not say where they had been; seemed worried about getting someone in trouble.",
    "Said an older friend gave them a lift and paid for food.",
    "Travelled by train to another town; said they were 'helping someone out'.",
)
PUSH = ("Arguments at home", "Does not like the placement", "Bored, nothing to do", "")
PULL = ("Older friends", "Money and gifts", "Feels they belong with the group", "")
CHILDS_WORDS = (
    "I just want people to stop asking me questions.",
    "I feel safer when I'm with them.",
    "I didn't think anyone would notice.",
    "",
)
TEAM_REASONS = (
    "Lead professional",
    "Allocated social worker",
    "School safeguarding lead",
    "Youth worker supporting the child",
    "Police missing person coordinator",
)
CONCERN_SEEN = (
    "Two young people of about 14 handing small packages to adults outside the station.",
    "A girl in school uniform got into a car with an older man; she looked frightened.",
    "Group of teenagers travelling late at night with large amounts of cash.",
    "A boy on his own on the last train, with a new phone that kept ringing.",
    "Young people coming and going from a flat at all hours; neighbours are worried.",
    "A child booked into a hotel room by an adult who paid in cash.",
    "Teenager asking taxi drivers to take them to another town, paying with a roll of notes.",
    "Pupil has been missing from lessons and is seen with older youths at lunchtime.",
)
CONCERN_WHERE = (
    "Bus station",
    "Railway station forecourt",
    "Outside the chip shop on the high street",
    "Retail park car park",
    "Hotel near the ring road",
    "Block of flats by the canal",
    "Park behind the leisure centre",
    "",
)
CONCERN_DESCRIPTION = (
    "Boy, about 14, grey tracksuit, black cap",
    "Girl, about 15, long dark hair, school uniform",
    "Two boys, one in a red jacket, one with a black rucksack",
    "Young person of about 13, small build, white trainers",
    "",
)
OUTCOME_REASONS = (
    "Information shared with the allocated social worker.",
    "Child identified and already known; observation added to their record.",
    "Not enough to identify anyone; no further action.",
    "Passed to the police for the missing and exploitation team.",
    "Referral made to children's social care.",
)
LINK_SOURCES = (
    "Officer's report",
    "Missing episode debrief",
    "Return home interview",
    "Stop and account",
    "Phone download",
    "Partner agency information",
    "Neighbourhood policing team",
)
VEHICLE_MAKES = (
    ("Ford", "Fiesta"),
    ("Vauxhall", "Corsa"),
    ("Volkswagen", "Golf"),
    ("BMW", "1 Series"),
    ("Audi", "A3"),
    ("Toyota", "Yaris"),
    ("Mercedes-Benz", "A-Class"),
)
COLOURS = ("Black", "Silver", "White", "Grey", "Blue", "Red")
