"""The pilot packages: the measures each pilot city tried (seed ch.2, docs/policies.md).

A package is a named list of policies, always run on top of the ``status_quo`` baseline::

    UrbanizationModel(city="yanta", policies="yanta_pilot")
    UrbanizationModel(city="yanta", policies="yanta_pilot,public_rental_housing")   # a package plus a policy

``urbanize list policies`` shows every package with its members.
"""

from __future__ import annotations

from urbanize.policies.registry import register_package

#: Members of each pilot package, in the order the seed lists the measures.
PILOT_PACKAGES: dict[str, tuple[str, ...]] = {
    # seed ch.2 II: migrant information system linked to services, socialized registration, school construction
    # in line with population growth, fair compulsory education with nearby enrolment
    "zhengzhou_pilot": (
        "linked_registration",
        "socialized_registration",
        "school_construction",
        "nearby_enrolment",
    ),
    # seed ch.2 III: hukou on rented residence, hukou for local farmers, urban-village sanitation and community
    # management, "new citizen" health, assistance for migrants in hardship, training coupons, service costing
    "yanta_pilot": (
        "rented_residence_hukou",
        "farmer_hukou",
        "urban_village_sanitation",
        "new_citizen_health",
        "migrant_assistance",
        "training_coupons",
        "service_costing",
    ),
    # seed ch.2 IV: homestead-for-apartment exchange, community service centres, harmonized social security for
    # exchanged farmers, hukou reform for villagers in model towns
    "jinnan_pilot": (
        "homestead_exchange",
        "community_service_centres",
        "harmonized_social_security",
        "villager_hukou",
    ),
    # seed ch.2 V: public rental housing, a rental market, vocational training, maternal-child health, migrant
    # children's education, integration of pensions
    "changshu_pilot": (
        "public_rental_housing",
        "rental_market",
        "vocational_training",
        "maternal_child_health",
        "migrant_education",
        "pension_integration",
    ),
}

for _name, _members in PILOT_PACKAGES.items():
    register_package(_name, _members)
