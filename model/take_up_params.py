"""Coefficients of the fee and take-up rules of the services (docs/model.md, section 7.3, "Fees and take-up").

:class:`TakeUpParams` is inherited by ``model.params.BehaviourParams``, so every field here is a behavioural
parameter like the others (a keyword of ``UrbanizationModel``, a sweep axis, a row of the parameter table).
The rules themselves are in ``model.services.take_up``.
"""

from __future__ import annotations

from dataclasses import dataclass

from urbanize.model.param_core import param
from urbanize.model.provenance import assumed, sourced


@dataclass(frozen=True)
class TakeUpParams:
    """What schooling and health profiles cost a household, and how that and other frictions decide take-up."""

    # --- school fees (model.services.take_up.school_choice) ---
    school_fee_share: float = param(
        0.08,
        "share of income",
        0.001,
        1.0,
        "Share of its income at which half of the families would still pay a school's fees for all their children "
        "of compulsory age (assumed: a few per cent of income per child is what schooling cost migrant families "
        "around 2009; with the default steepness 5 % of families refuse fees of 3 % of their income, 30 % fees of 6 %)",
        prov=assumed(
            "no survey of fee tolerance by income was found; a few per cent of income per child is the order of what schooling cost migrant families around 2009"
        ),
    )
    school_fee_steepness: float = param(
        3.0,
        "logit per log-unit",
        0.1,
        20.0,
        "How sharply families refuse a school as its fees rise against their tolerance: the share still paying is "
        "1 / (1 + (fees / (income x school_fee_share))^steepness) (assumed: a log-logistic tolerance whose 10-90 % "
        "span is a factor of about four)",
        prov=assumed(
            "no estimate of how sharply families refuse fees was found; a factor of about four between 10 % and 90 % refusal is a plausible spread"
        ),
    )
    private_tuition: float = param(
        800.0 / 12,
        "yuan/pupil-month",
        0.0,
        2000.0,
        "Tuition of a private migrant school before any allowance (assumed: 500-1,500 yuan a year at private "
        "migrant schools around 2008, cheaper than a public school's fees for non-hukou pupils)",
        prov=assumed(
            "reports of private migrant schools around 2008 give 500-1,500 yuan a year; 800 is a round value inside that range"
        ),
    )
    left_behind_rate: float = param(
        0.25,
        "1/month",
        0.0,
        1.0,
        "Monthly chance that a family which can afford no school here sends its children of compulsory age home to "
        "grandparents (left-behind children); assumed: within a school term of about four months",
        prov=assumed(
            "no figure for how fast families send children home; within a school term of about four months"
        ),
    )
    # --- health profiles (model.services.take_up.health_take_up) ---
    health_const: float = param(
        -0.8,
        "logit",
        -10.0,
        10.0,
        "Log-odds of taking up a health profile for a household with access that is not informed, new in the city "
        "and pays nothing (assumed; with the terms below, local families take up 90 %, the starting coverage)",
        prov=assumed(
            "set so that local families take up about 90 % of health profiles, the starting coverage; no survey of take-up by information"
        ),
    )
    health_informed: float = param(
        1.5,
        "logit",
        0.0,
        10.0,
        "Log-odds gain of an informed household (local hukou, registered with the migrant information system whose "
        "marriage and birth certificate ties it to family-planning and health workers, using a community centre, or "
        "holding a resident health record of the health_records policy)",
        prov=assumed(
            "no estimate of the information effect on take-up; a large gain, since registration ties a family to health workers"
        ),
    )
    health_years: float = param(
        0.5,
        "logit/year",
        0.0,
        5.0,
        "Log-odds gain per year lived in the city, counted up to three years (assumed: a clinic is found with time)",
        prov=assumed("no estimate; a clinic is found with time, counted up to three years"),
    )
    health_cost: float = param(
        1.0,
        "logit per % of income",
        0.0,
        10.0,
        "Log-odds loss per percentage point of household income that the profile costs it (assumed; non-hukou "
        "families pay the profile's cost unless a policy makes it free)",
        prov=assumed(
            "no price elasticity of profile take-up was found; one logit per per cent of income is a moderate response"
        ),
    )
    # --- pre-school and senior middle (model.services.levels.level_choice) ---
    preschool_fee: float = param(
        200.0,
        "yuan/child-month",
        0.0,
        3000.0,
        "Care-and-education fee of a kindergarten place, paid by every family (pre-school is not free in China); "
        "a family seeks a place when the fee fits its school-fee tolerance after the compulsory fees it pays",
        prov=assumed(
            "public kindergartens in provincial capitals charged roughly 100-300 yuan a month around 2009 and private "
            "ones more; 200 is a round value inside that range"
        ),
    )
    senior_tuition: float = param(
        1200.0 / 12,
        "yuan/pupil-month",
        0.0,
        2000.0,
        "Tuition of a public senior middle school, paid by every pupil (senior middle is not compulsory and not free)",
        prov=assumed(
            "public general senior-middle tuition in central China around 2009 was of the order of 800-1,600 yuan a "
            "year; 1,200 is a round value inside that range"
        ),
    )
    senior_fee_nonlocal: float = param(
        2000.0 / 12,
        "yuan/pupil-month",
        0.0,
        5000.0,
        "Extra 'borrowing' fee of a non-hukou pupil who may not sit the city's senior-middle entrance examination "
        "(a pupil who may sit it pays the tuition only)",
        prov=assumed(
            "borrowing and school-choice fees for pupils without local hukou were common before the 2012 reform; no "
            "city figure was found, 2,000 yuan a year is a round value"
        ),
    )
    gaokao_away_share: float = param(
        0.5,
        "share",
        0.0,
        1.0,
        "Share of non-hukou families who keep no child of 15-17 in a city senior middle school while the child may "
        "not sit the entrance examinations here: the gaokao must be taken in the hukou province, so the child "
        "studies there (decided once per family by a persistent taste)",
        prov=assumed(
            "until the State Council General Office's Guo Ban Fa [2012] No. 46 asked provinces to let migrant children "
            "sit the entrance examinations where they live, the gaokao had to be taken in the hukou province; no "
            "share of families who therefore kept teenagers out of city senior middle schools was found"
        ),
    )
    # --- rural cooperative medical scheme (model.services.ncms.RuralCooperativeMedical.enrol) ---
    ncms_const: float = param(
        2.018,
        "logit",
        -10.0,
        10.0,
        "Log-odds that a local rural-hukou household enrols in the new rural cooperative medical scheme at a net "
        "benefit of zero (fitted by hand with ncms_benefit to the national enrolment of 94.2 % in 2009 and 97.5 % "
        "in 2011 at those years' net benefits, 82 and 176 yuan a person: NBS China Statistical Yearbook 2012, "
        "table 21-20)",
        prov=sourced(
            "fitted by hand to NCMS enrolment 94.2 % (2009) and 97.5 % (2011), NBS China Statistical Yearbook 2012, "
            "table 21-20, at the net benefits of those years (0.9 x premium pooled less the individual premium)"
        ),
    )
    ncms_benefit: float = param(
        0.937,
        "logit per 100 yuan/person-year",
        0.0,
        10.0,
        "Log-odds gain per 100 yuan a year of net benefit per person (benefits the scheme pays per member less the "
        "individual premium); fitted with ncms_const, so it attributes the whole 2009-2011 rise in enrolment to "
        "the rise in benefits (an upper bound: enrolment campaigns rose too)",
        prov=sourced(
            "fitted by hand with ncms_const to NBS China Statistical Yearbook 2012, table 21-20 (2009 and 2011); "
            "an upper bound, since the whole rise in enrolment is put down to benefits"
        ),
    )
