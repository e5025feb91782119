"""Fixed lists used on person records."""

from django.db import models


class PersonKind(models.TextChoices):
    CHILD = "child", "Child"
    ADULT = "adult", "Adult"


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    UNKNOWN = "unknown", "Not known"
    NOT_STATED = "not_stated", "Not stated"


class Ethnicity(models.TextChoices):
    """ONS 2021 census ethnic groups (England and Wales), needed for disproportionality
    figures. Codes follow the census categories in order."""

    ASIAN_BANGLADESHI = "asian_bangladeshi", "Asian, Asian British or Asian Welsh: Bangladeshi"
    ASIAN_CHINESE = "asian_chinese", "Asian, Asian British or Asian Welsh: Chinese"
    ASIAN_INDIAN = "asian_indian", "Asian, Asian British or Asian Welsh: Indian"
    ASIAN_PAKISTANI = "asian_pakistani", "Asian, Asian British or Asian Welsh: Pakistani"
    ASIAN_OTHER = "asian_other", "Asian, Asian British or Asian Welsh: Other Asian"
    BLACK_AFRICAN = (
        "black_african",
        "Black, Black British, Black Welsh, Caribbean or African: African",
    )
    BLACK_CARIBBEAN = (
        "black_caribbean",
        "Black, Black British, Black Welsh, Caribbean or African: Caribbean",
    )
    BLACK_OTHER = (
        "black_other",
        "Black, Black British, Black Welsh, Caribbean or African: Other Black",
    )
    MIXED_WHITE_ASIAN = "mixed_white_asian", "Mixed or Multiple: White and Asian"
    MIXED_WHITE_BLACK_AFRICAN = (
        "mixed_white_black_african",
        "Mixed or Multiple: White and Black African",
    )
    MIXED_WHITE_BLACK_CARIBBEAN = (
        "mixed_white_black_caribbean",
        "Mixed or Multiple: White and Black Caribbean",
    )
    MIXED_OTHER = "mixed_other", "Mixed or Multiple: Other Mixed or Multiple"
    WHITE_BRITISH = "white_british", "White: English, Welsh, Scottish, Northern Irish or British"
    WHITE_IRISH = "white_irish", "White: Irish"
    WHITE_GYPSY_TRAVELLER = "white_gypsy_traveller", "White: Gypsy or Irish Traveller"
    WHITE_ROMA = "white_roma", "White: Roma"
    WHITE_OTHER = "white_other", "White: Other White"
    OTHER_ARAB = "other_arab", "Other ethnic group: Arab"
    OTHER_ANY = "other_any", "Other ethnic group: Any other ethnic group"
    NOT_STATED = "not_stated", "Not stated"
    NOT_KNOWN = "not_known", "Not yet known"


class LegalStatus(models.TextChoices):
    NONE = "none", "None recorded"
    CHILD_IN_NEED = "child_in_need", "Child in need"
    CHILD_PROTECTION_PLAN = "child_protection_plan", "Child protection plan"
    LOOKED_AFTER = "looked_after", "Looked after child"
    CARE_LEAVER = "care_leaver", "Care leaver"


class IdentifierKind(models.TextChoices):
    NHS_NUMBER = "nhs_number", "NHS number"
    UPN = "upn", "Unique Pupil Number"
    PNC_ID = "pnc_id", "Police National Computer ID"
    LA_ID = "la_id", "Local authority ID"
    OTHER = "other", "Other"


class AliasKind(models.TextChoices):
    ALIAS = "alias", "Alias"
    NICKNAME = "nickname", "Nickname"
    PREVIOUS_NAME = "previous_name", "Previous name"
