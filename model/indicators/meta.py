"""Site and sector of each indicator, for ``urbanize list indicators --site ... --sector ...``.

The sector follows the seed's "sector of services" columns (seed ch.2); it is read from the indicator's name
(rules below, first match wins; queue and access-gap indicators take the sector of their service). The sites of a
sector are the pilots whose programme monitors it (seed ch.2, "indicators to monitor activities and results";
docs/coverage.md lists the seed's wording row by row, and tests/docs/test_coverage.py checks that every
indicator it names for a site is listed for that site here). Population and access indicators belong to every
site.
"""

from __future__ import annotations

SITES = ("zhengzhou", "yanta", "jinnan", "changshu")

#: (name prefix, sector), first match wins
_RULES: tuple[tuple[str, str], ...] = (
    ("registration_rate", "registration"),
    ("residence_permit", "registration"),
    ("hukou_transfer_willingness", "settlement"),
    ("hukou_", "registration"),
    ("awareness_", "registration"),
    ("settlement_", "settlement"),
    ("migrant_stay_", "settlement"),
    ("unemployment_", "employment"),
    ("formal_job", "employment"),
    ("income_ratio", "employment"),
    ("housing_", "housing"),
    ("dwellings", "housing"),
    ("homestead_", "housing"),
    ("public_rental", "housing"),
    ("private_rental", "housing"),
    ("dormitory_", "housing"),
    ("urban_village_rental", "housing"),
    ("migrant_children_", "education"),
    ("avg_class_size", "education"),
    ("max_class_size", "education"),
    ("school_", "education"),
    ("compulsory_allowance", "education"),
    ("public_school", "education"),
    ("preschool_", "education"),
    ("senior_", "education"),
    ("education_spend", "education"),
    ("health_", "health"),
    ("immunisation", "health"),
    ("maternal_", "health"),
    ("assistance_", "social_assistance"),
    ("dibao", "social_assistance"),
    ("hardship_", "social_assistance"),
    ("pension_", "social_security"),
    ("urban_medical_insurance", "social_security"),
    ("training_", "training"),
    ("community_", "community"),
    ("sanitation_", "community"),
    ("fiscal_", "fiscal"),
    ("household_fees", "fiscal"),
    ("city_revenue", "fiscal"),
    ("city_budget", "fiscal"),
    ("capital_refused", "fiscal"),
    ("migrant_access_index", "access"),
    ("access_index_registered", "registration"),
    ("info_system_", "registration"),
    ("management_", "registration"),  # management_capacity: coordinators, visits, registrations
    ("reform_", "education"),  # overload_suspension: the 2003 reform suspended for overloaded schools
    ("overload_", "education"),
    ("hospital_birth", "health"),
    ("rent_", "housing"),
    ("urban_security_", "social_security"),
    ("elder", "elderly_care"),
    ("coupon", "training"),
    ("city_life_skills", "training"),
    ("exchanged_heads", "training"),
    ("villager_committees", "community"),
    ("disabled_", "social_assistance"),
    ("ncms_", "health"),  # Changshu: the rural cooperative medical scheme, monitored under public health
    ("talent", "housing"),  # Changshu: the housing project for talents
)
#: sector of each service, for ``unmet_demand_<service>``, ``mean_wait_<service>``, ``access_gap_<service>``
_SERVICE_SECTOR = {
    "primary_school": "education",
    "junior_school": "education",
    "private_migrant_school": "education",
    "kindergarten": "education",
    "senior_school": "education",
    "child_health": "health",
    "maternal_health": "health",
    "community_centre": "community",
    "public_rental": "housing",
    "training": "training",
    "dibao": "social_assistance",
    "hardship_aid": "social_assistance",
    "pension": "social_security",
    "medical_insurance": "social_security",
}
#: the pilots whose programme monitors each sector (seed ch.2)
SECTOR_SITES: dict[str, tuple[str, ...]] = {
    "population": SITES,
    "access": SITES,
    "registration": ("zhengzhou", "yanta", "jinnan", "changshu"),  # Changshu: settlement through talents housing
    "settlement": ("zhengzhou", "yanta", "changshu"),
    "employment": ("yanta", "jinnan", "changshu"),
    "housing": ("jinnan", "changshu"),
    "education": ("zhengzhou", "changshu"),
    "health": ("yanta", "changshu"),
    "social_assistance": ("yanta", "jinnan"),
    "social_security": ("jinnan", "changshu"),
    "training": ("yanta", "jinnan", "changshu"),
    "community": ("yanta", "jinnan"),
    "elderly_care": ("yanta", "jinnan", "changshu"),  # Yanta and Changshu elderly care, Jinnan help for elders
    "fiscal": ("zhengzhou", "yanta", "changshu"),  # Changshu: subsidies on vocational training
}
SECTORS = tuple(SECTOR_SITES)


def sector_of(name: str) -> str:
    """The sector of indicator ``name`` (``population`` when no rule matches: counts of people and flows)."""
    for prefix in ("unmet_demand_", "mean_wait_", "access_gap_"):
        if name.startswith(prefix) and name.removeprefix(prefix) in _SERVICE_SECTOR:
            return _SERVICE_SECTOR[name.removeprefix(prefix)]
    for prefix, sector in _RULES:
        if name.startswith(prefix):
            return sector
    return "population"


def sites_of(name: str) -> tuple[str, ...]:
    """The pilots whose programme monitors the sector of indicator ``name``."""
    return SECTOR_SITES[sector_of(name)]
