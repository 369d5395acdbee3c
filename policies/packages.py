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
    # seed ch.2 II: migrant information system linked to services, socialized registration, funding and capacities
    # of migrant management bodies and staff, school construction in line with population growth, fair compulsory
    # education with nearby enrolment. Pre-school (preschool_expansion) and senior middle school
    # (senior_middle_opening) are not in it: the seed names pre-school only as a current situation and senior
    # middle school only in an indicator; its content of piloting is basic and compulsory education.
    "zhengzhou_pilot": (
        "linked_registration",
        "socialized_registration",
        "management_capacity",
        # content 1 and 5 (a unified system and "develop the potentials" of it); ch.3 milestones: "an information
        # sharing mechanism between the Public Security Bureau (as the data holder) and Housing Management Bureau
        # and Education Bureau (as data users)"
        "information_sharing",
        "school_construction",
        "nearby_enrolment",
    ),
    # seed ch.2 III: hukou on rented residence, hukou for local farmers, urban-village sanitation and community
    # management, "new citizen" health, community elderly care and its training, assistance for migrants in
    # hardship, training coupons and city-life skills, service costing
    "yanta_pilot": (
        "rented_residence_hukou",
        "farmer_hukou",
        "urban_village_sanitation",
        "new_citizen_health",
        # "develop community support system for elderly care and provide elderly care training for local farmers
        # and migrants"; indicator: "number of beds in day care centres"
        "elderly_home_support",
        "elderly_day_care",
        "elderly_care_training",
        "migrant_assistance",
        "training_coupons",
        # indicator: "person-times of migrants and local farmers receiving vocational and city life skills
        # training" (content: "improve training system for farmers and migrants")
        "city_life_skills",
        "service_costing",
    ),
    # seed ch.2 IV: homestead-for-apartment exchange, community service centres, harmonized social security for
    # exchanged farmers, hukou reform for villagers in model towns
    "jinnan_pilot": (
        "homestead_exchange",
        "community_service_centres",
        # content 2 and 3: "foster and develop community social organizations"; "gradually reform villagers'
        # committees"
        "community_organizations",
        # community public services 1 and 4: "vocational training" (indicator: exchanged villagers "who have attended
        # vocational training; number of whom finding jobs") and "help for the disabled"
        "exchanged_villager_employment",
        "disability_assistance",
        "harmonized_social_security",
        "villager_hukou",
    ),
    # seed ch.2 V: public rental housing, a rental market, a housing project for talents, vocational training,
    # maternal-child health, a health information system on health records, improvement of the rural cooperative
    # medical scheme, migrant children's education, integration of pensions. The integration of the rural scheme
    # into urban residents' medical insurance (resident_medical_integration) is not in it: the seed lists it as
    # the current situation ("Integration completed"), not as content of piloting; it is in Changshu's status quo
    # (city file [medical_insurance], model/services/ncms.py), and ncms_improvement acts on the integrated pool.
    "changshu_pilot": (
        "public_rental_housing",
        "rental_market",
        "talents_housing",
        "vocational_training",
        "maternal_child_health",
        # the maternal and child health project's indicator: "migrant pregnant women who deliver births at hospitals
        # at stipulated prices"
        "hospital_births",
        "health_records",
        "ncms_improvement",
        "migrant_education",
        "pension_integration",
        # "a new system combining family support with social support"; policies "in support of the development of
        # private elderly care institutions" and "financial subsidies to elderly care institutions"
        "elderly_care_subsidy",
    ),
}

for _name, _members in PILOT_PACKAGES.items():
    register_package(_name, _members)
