"""Unit costs of the services, yuan in 2009 prices, each with its source (or "assumed" and why)."""

from __future__ import annotations

#: Unit costs, yuan in 2009 prices, and their sources.
COSTS: dict[str, tuple[float, str]] = {
    "primary_school": (
        3357.92 / 12,
        "2009 national budgetary education expenditure per primary pupil, 3,357.92 yuan/year "
        "(MOE/NBS/MOF statistical announcement on education funding 2009)",
    ),
    "junior_school": (
        4331.62 / 12,
        "2009 national budgetary expenditure per junior middle pupil, 4,331.62 yuan/year (same source)",
    ),
    "senior_school": (
        3800.0 / 12,
        "assumed: budgetary expenditure per public senior middle pupil of about 3,800 yuan/year in 2009, between the "
        "primary and junior middle figures of the same announcement (fees are the households' own, booked apart)",
    ),
    "kindergarten": (
        1000.0 / 12,
        "assumed: budgetary expenditure per kindergarten child of about 1,000 yuan/year in 2009 (pre-school was "
        "mostly fee-funded and received a small share of public education spending)",
    ),
    "school_fee_nonlocal": (1000.0 / 12, "assumed 'borrowing fee' paid by non-hukou pupils, 1,000 yuan/year"),
    "private_migrant_school": (0.0, "fee-funded; the city pays nothing unless a policy subsidises it"),
    "child_health": (20.0, "assumed: child health management and immunisation visits per child-month"),
    "immunisation_per_child_month": (0.6, "assumed doses per child-month 0-36 months (EPI schedule)"),
    "maternal_health": (60.0, "assumed: about five prenatal visits and tests over nine months"),
    "community_centre": (10.0, "assumed running cost per household served per month"),
    "public_rental": (300.0, "assumed rent subsidy per flat-month (market minus public rent, about 50 m2)"),
    "training": (200.0, "assumed: 600 yuan per three-month course (Sunshine Project subsidies 300-800)"),
    "hardship_aid": (2000.0, "assumed one-off amount per household"),
    "pension_contribution_subsidy": (
        2.5,
        "30 yuan/person-year minimum contribution subsidy (State Council Guo Fa [2009] 32)",
    ),
    "pension_basic_new_rural": (55.0, "basic pension per elder-month (Guo Fa [2009] 32), paid centrally"),
    "pension_basic_urban_resident": (120.0, "assumed local basic pension per elder-month"),
    "pension_individual_contribution": (
        100.0 / 12,
        "lowest individual contribution grade of the new rural pension, 100 yuan/person-year (Guo Fa [2009] 32); "
        "assumed the same for the urban-rural resident scheme",
    ),
    "medical_individual_premium": (
        20.0 / 12,
        "assumed: 2009 individual NCMS contribution of about 20 yuan/person-year, used for the resident schemes",
    ),
    "medical_subsidy": (
        80.0 / 12,
        "2009 government subsidy 80 yuan/person-year (NCMS and urban resident BMI)",
    ),
}
