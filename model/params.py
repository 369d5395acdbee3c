"""Typed, validated parameter objects.

Every behavioural coefficient of the model is a field of :class:`BehaviourParams` with a default, a unit, a
valid range, a one-line meaning and a provenance (docs/contributing.md, "Data and parameters": "decision rules are
explicit and documented, typically random-utility (logit) choices whose coefficients are parameters with defaults,
units and ranges"; docs/model.md, "Input data", for provenance). Policies declare their own parameter classes the
same way (see ``policies.base``).

Use :func:`param` to declare a field and :func:`validate` (called from ``__post_init__``) to check a whole
object. :func:`describe` lists fields for ``urbanize list`` and the sweep validator. The machinery lives in
``model.param_core``; it is re-exported here, where every caller imports it from. The fee and take-up
coefficients of the services are declared in ``model.take_up_params`` and inherited by :class:`BehaviourParams`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from urbanize.model.param_core import ParamInfo, build, coerce, describe, param, validate
from urbanize.model.provenance import Provenance, assumed, calibrated, sourced
from urbanize.model.take_up_params import TakeUpParams

__all__ = [
    "BehaviourParams",
    "ParamInfo",
    "Provenance",
    "TakeUpParams",
    "assumed",
    "behaviour_param_names",
    "build",
    "calibrated",
    "coerce",
    "describe",
    "param",
    "sourced",
    "validate",
]

#: The fit whose posterior medians several defaults are (docs/calibration.md, "The shipped four-city fit").
_FIT = (
    "the four-city fit of experiments/specs/calibrate_cities.toml (2026-12-03: six parameters, six targets, 1,743 "
    "simulation sets in 6 generations; model/calibration.toml)"
)


@dataclass(frozen=True)
class BehaviourParams(TakeUpParams):
    """Behavioural coefficients of households and the city (docs/model.md, section 7.8).

    Defaults are assumptions chosen so the status quo is plausible against the calibration targets of
    docs/model.md, section 1 (CMDS 2015: 57 % of migrants intend to settle; 22 % of migrants returned over
    1998-2015); each is a lever for sensitivity analysis.
    """

    # --- arrivals (Harris-Todaro) ---
    arrival_rate: float = param(
        0.0225,
        "share of migrant households/month",
        0.0,
        0.1,
        "Monthly inflow of new migrant households, as a share of the households without local hukou, when the "
        "expected-income ratio equals ht_reference_ratio and access equals access_reference (fitted with "
        "leave_const: more departures need more arrivals for the 2009-2011 growth)",
        prov=assumed("the posterior median (0.0225) of " + _FIT + ", shipped with leave_const because the two "
                      "move together; not identified: its 90 % interval [0.0150, 0.0320] is 57 % of the prior's "
                      "width [0.005, 0.035]"),
    )
    ht_elasticity: float = param(
        1.5,
        "1/log-ratio",
        0.0,
        10.0,
        "Harris-Todaro elasticity of the inflow to the log ratio of a migrant's expected urban income "
        "(wage x employment chance) to origin income (assumed)",
        prov=assumed("no estimate for these cities; an elasticity above 1 so wage gaps matter more than proportionally, to be calibrated"),
    )
    ht_reference_ratio: float = param(
        1.96,
        "ratio",
        0.5,
        10.0,
        "Expected-income ratio (urban over origin) at which a city draws the reference inflow arrival_rate; the "
        "same for every city, so cities with a larger gap grow faster (fitted: the four cities' pooled "
        "starting ratio, 1.96; Changshu 2.14, Jinnan 2.25, Yanta 1.96, Zhengzhou 1.87 at the assumed wages)",
        prov=assumed("a normalisation: the four cities' pooled starting expected-income ratio at the assumed wages"),
    )
    access_pull: float = param(
        0.5,
        "relative",
        0.0,
        5.0,
        "Extra inflow per unit of migrants' service access index above access_reference (assumed)",
        prov=assumed("no source found; a plausible order of magnitude, kept as a lever for sensitivity analysis"),
    )
    access_reference: float = param(
        0.21,
        "share",
        0.0,
        1.0,
        "Migrants' service access index at which access neither adds to nor takes from the inflow (fitted: the four "
        "cities' pooled starting access under the status quo, 0.21)",
        prov=assumed("a normalisation: the four cities' pooled starting access under the status quo"),
    )
    wage_crowding: float = param(
        0.5,
        "elasticity",
        0.0,
        5.0,
        "Elasticity of wages to crowding (labour force over jobs): wages scale by crowding ** -wage_crowding "
        "(assumed; an inverse labour-demand elasticity)",
        prov=assumed("an inverse labour-demand elasticity of about 0.5; no estimate for these cities"),
    )
    job_crowding: float = param(
        1.0,
        "elasticity",
        0.0,
        10.0,
        "Elasticity of the job-finding chance to crowding: it scales by crowding ** -job_crowding (assumed: "
        "proportional to jobs per seeker)",
        prov=assumed("the job-finding chance proportional to jobs per seeker"),
    )
    hukou_wage_penalty: float = param(
        0.1,
        "share",
        0.0,
        0.5,
        "Wage discount of workers without local hukou for the same job and skill (the unexplained part of the "
        "migrant-local wage gap, e.g. Demurger et al. 2009, J. Comparative Economics 37(4); size assumed)",
        prov=assumed("the unexplained migrant-local wage gap exists (Demurger et al. 2009, J. Comparative Economics 37(4)); its size for these cities is not known, 10 % is within the range reported"),
    )
    chain_share: float = param(
        0.7,
        "share",
        0.0,
        1.0,
        "Share of new arrivals who follow a tie to a household already here (chain migration)",
        prov=assumed("no source found; a plausible order of magnitude, kept as a lever for sensitivity analysis"),
    )
    family_share: float = param(
        0.35,
        "share",
        0.0,
        1.0,
        "Share of arriving migrant households that come as families (with spouse and children)",
        prov=assumed("no source found; a plausible order of magnitude, kept as a lever for sensitivity analysis"),
    )
    # --- life events ---
    fertility: float = param(
        0.0491,
        "1/couple-month",
        0.0,
        0.5,
        "Monthly conception chance of a couple allowed another child, wife aged 25-29, first child "
        "(model/fertility.py scales it by the wife's age and the parity). Fitted with the other behavioural "
        "targets to the national crude birth rate 2010-2015, 11.9-12.4 per 1,000 (NBS, China Statistical "
        "Yearbook 2016, table 2-2)",
        prov=assumed("the posterior median (0.0491) of " + _FIT + "; not identified: its 90 % interval "
                      "[0.0218, 0.0760] is 90 % of the prior's width [0.02, 0.08] (the birth rate is met across "
                      "most of it; the earlier hand fit was 0.044)"),
    )
    marriage_rate: float = param(
        0.02,
        "1/household-month",
        0.0,
        1.0,
        "Monthly chance that a head aged 20-39 living without another adult marries, the spouse joining from "
        "outside the city (assumed: about four years single on average; mean age at first marriage 24-26 in "
        "the 2010 census)",
        prov=assumed("about four years single on average; mean age at first marriage 24-26 in the 2010 census"),
    )
    mortality_scale: float = param(
        1.0,
        "x",
        0.0,
        10.0,
        "Multiplier of the 2010 death probabilities by sex and age band (model/mortality.py); 1 = the table",
        prov=sourced("1 = the 2010 death probabilities by sex and age band (model/mortality.py)"),
    )
    housing_supply_response: float = param(
        1.0 / 24.0,
        "1/month",
        0.0,
        1.0,
        "Share of the shortfall of dormitories, private rentals and owned homes (against occupancy plus the "
        "target vacancy) that employers and developers build each month (assumed: about two years to close it)",
        prov=assumed("about two years to close a housing shortfall"),
    )
    home_leaving: float = param(
        0.014,
        "1/household-month",
        0.0,
        1.0,
        "Monthly chance that a local household with a grown child at home (three or more adults) sees one leave "
        "to marry; two such young adults form a new couple household (about six years between 18 and leaving: "
        "mean age at first marriage about 24-25 in the 2010 census; assumed)",
        prov=assumed("about six years between 18 and leaving home; mean age at first marriage about 24-25 in the 2010 census"),
    )
    job_finding: float = param(
        0.25, "1/month", 0.0, 1.0, "Monthly chance an unemployed head finds a job (before skill effects)",
        prov=assumed("about four months of search on average; no monthly hazard published for these cities"),
    )
    job_loss: float = param(0.008, "1/month", 0.0, 0.5, "Monthly chance an employed head loses the job", prov=assumed("about 10 % of jobs lost a year; no monthly hazard published for these cities"))
    formal_share_skill: float = param(
        0.554,
        "share",
        0.0,
        1.0,
        "Chance a new job is formal (with contract and social insurance) for a high-skill head; "
        "scaled down for lower skill and for rural hukou",
        prov=assumed("the posterior median (0.554) of " + _FIT + "; not identified: its 90 % interval "
                      "[0.255, 0.847] is 85 % of the prior's width [0.2, 0.9] (the migrants' formal-job share of "
                      "2012, 14-44 %, is met across most of it)"),
    )
    hardship_rate: float = param(
        0.003,
        "1/household-month",
        0.0,
        0.1,
        "Monthly chance of a hardship shock (illness, accident, disaster) that lasts about six months",
        prov=assumed("no source found; a plausible order of magnitude, kept as a lever for sensitivity analysis"),
    )
    wage_growth: float = param(0.06, "1/year", -0.1, 0.3, "Annual growth of urban wages", prov=assumed("a round real growth rate for urban wages over 2009-2017; not fitted to a city series"))
    origin_income_growth: float = param(
        0.06,
        "1/year",
        -0.1,
        0.3,
        "Annual growth of origin (rural) income (assumed equal to wage_growth: migrants' monthly income rose from "
        "1,417 yuan in 2009 to 3,072 in 2015 (NBS migrant worker monitoring surveys) while rural incomes grew at a "
        "similar pace, so the income gap's ratio held roughly steady)",
        prov=assumed("equal to wage_growth: NBS migrant worker monitoring surveys show migrant and rural incomes growing at a similar pace over 2009-2015, so the gap's ratio held roughly steady"),
    )
    land_requisition_rate: float = param(
        0.01,
        "1/year",
        0.0,
        0.5,
        "Annual share of local farmers' land requisitioned by urban expansion (they move to resettlement "
        "apartments)",
        prov=assumed("no source found; a plausible order of magnitude, kept as a lever for sensitivity analysis"),
    )
    # --- awareness ---
    awareness_contact: float = param(
        0.02, "1/tie-month", 0.0, 1.0, "Monthly chance that one aware tie makes a household aware of a policy",
        prov=assumed("no source found; a plausible order of magnitude, kept as a lever for sensitivity analysis"),
    )
    awareness_decay: float = param(
        0.08,
        "1/month",
        0.0,
        1.0,
        "Monthly chance that an aware household forgets a topic (rules and offices change; fitted so "
        "that awareness of the registration system stays near its (assumed) starting share of 0.4 under the status "
        "quo: 0.05 lets it rise to 0.57 in five years, 0.12 lets it fall to 0.17)",
        prov=assumed("set so that awareness of the registration system stays near its assumed starting share of 0.4 under the status quo"),
    )
    awareness_media: float = param(
        0.003, "1/month", 0.0, 1.0, "Monthly chance of learning of a policy from media and notices",
        prov=assumed("no source found; a plausible order of magnitude, kept as a lever for sensitivity analysis"),
    )
    # --- registration decisions (logit) ---
    register_const: float = param(
        -4.5, "logit/month", -15.0, 5.0, "Baseline monthly log-odds that an unregistered migrant registers",
        prov=assumed("set with registration_lapse so the registered share stays near the city's starting share; a calibration target"),
    )
    registration_lapse: float = param(
        0.02,
        "1/month",
        0.0,
        1.0,
        "Monthly chance that a registered migrant's registration lapses (temporary residence registration must "
        "be renewed, and lapses with a move or a new job; assumed, set so that the registered share stays near the "
        "city's starting share under the status quo)",
        prov=assumed("registrations must be renewed and lapse with a move or a new job; set so the registered share stays near the city's starting share"),
    )
    register_benefit: float = param(
        1.5,
        "logit per unit",
        0.0,
        10.0,
        "Log-odds gain of registering per unit of benefit registration unlocks (services linked to it)",
        prov=assumed("no source found; a plausible order of magnitude, kept as a lever for sensitivity analysis"),
    )
    register_aware: float = param(
        1.5, "logit", 0.0, 10.0, "Log-odds gain of registering when aware of the registration system",
        prov=assumed("no source found; a plausible order of magnitude, kept as a lever for sensitivity analysis"),
    )
    permit_const: float = param(
        -2.5, "logit/month", -15.0, 5.0, "Monthly log-odds that an eligible registered migrant takes a permit",
        prov=assumed("no source found; a plausible order of magnitude, kept as a lever for sensitivity analysis"),
    )
    hukou_want_const: float = param(
        -1.282,
        "logit",
        -15.0,
        10.0,
        "Baseline log-odds that a migrant household would transfer its hukou here if eligible (with hukou_settle "
        "and hukou_land_tie; calibrated to 48.7 % of those intending to settle wanting it, CMDS 2016, Qiu and Zhou "
        "2019: model/calibration.toml)",
        prov=calibrated(),
    )
    hukou_const: float = param(
        -1.0,
        "logit/month",
        -15.0,
        5.0,
        "Monthly log-odds that an eligible migrant household that wants local hukou and knows the pathway "
        "applies (assumed: gathering the papers takes a few months)",
        prov=assumed("gathering the papers takes a few months"),
    )
    hukou_settle: float = param(
        2.0, "logit", 0.0, 10.0, "Log-odds gain of wanting local hukou when the household intends to settle",
        prov=assumed("no source found; a plausible order of magnitude, kept as a lever for sensitivity analysis"),
    )
    hukou_land_tie: float = param(
        -1.0,
        "logit",
        -10.0,
        0.0,
        "Log-odds change of wanting local hukou (and, for local farmers, of converting) while the household still "
        "holds land rights",
        prov=assumed("no source found; a plausible order of magnitude, kept as a lever for sensitivity analysis"),
    )
    farmer_convert_const: float = param(
        -5.5,
        "logit/month",
        -15.0,
        5.0,
        "Monthly log-odds that an eligible local farmer converts to local urban hukou",
        prov=assumed("no source found; a plausible order of magnitude, kept as a lever for sensitivity analysis"),
    )
    # --- settlement (logit) ---
    settle_const: float = param(
        -2.093,
        "logit",
        -10.0,
        10.0,
        "Baseline log-odds of intending to settle for good (fitted with the other behavioural targets to 57.3 % "
        "intending to settle in 2015, CMDS 2015; the starting migrant stock is drawn with it, "
        "model.migrant_history)",
        prov=assumed("the posterior median (-2.093) of " + _FIT + "; not marked calibrated: its 90 % interval "
                      "[-2.904, -1.304] is 53 % of the prior's width [-3, 0], and calibrated asks for under half "
                      "(the earlier fit with pyabc's default kernel gave 40 %, -1.906, with collapsing weights)"),
    )
    settle_years: float = param(
        0.12, "logit/year", 0.0, 2.0, "Log-odds gain of intending to settle per year of residence",
        prov=assumed("no source found; a plausible order of magnitude, kept as a lever for sensitivity analysis"),
    )
    settle_family: float = param(
        0.5, "logit", -5.0, 5.0, "Log-odds gain of intending to settle for a household with children here",
        prov=assumed("no source found; a plausible order of magnitude, kept as a lever for sensitivity analysis"),
    )
    settle_formal: float = param(
        0.5, "logit", -5.0, 5.0, "Log-odds gain of intending to settle with a formal job",
        prov=assumed("no source found; a plausible order of magnitude, kept as a lever for sensitivity analysis"),
    )
    settle_access: float = param(
        1.0,
        "logit per unit",
        0.0,
        10.0,
        "Log-odds gain of intending to settle per unit of the household's access to services",
        prov=assumed("no source found; a plausible order of magnitude, kept as a lever for sensitivity analysis"),
    )
    leave_const: float = param(
        -3.408,
        "logit/month",
        -15.0,
        0.0,
        "Baseline monthly log-odds that a migrant household leaves the city (calibrated with arrival_rate and the "
        "other behavioural targets to 55 % of migrants in their city 3 years or more in May 2014, CMDS 2014 via "
        "the NHFPC report (Xinhua 2015-11-12), and the migrant growth of 2009-2011: model/calibration.toml)",
        prov=calibrated(),
    )
    leave_unemployed: float = param(
        1.2, "logit", 0.0, 10.0, "Log-odds gain of leaving when the head is unemployed",
        prov=assumed("no source found; a plausible order of magnitude, kept as a lever for sensitivity analysis"),
    )
    leave_settle: float = param(
        -1.5, "logit", -10.0, 0.0, "Log-odds change of leaving when the household intends to settle",
        prov=assumed("no source found; a plausible order of magnitude, kept as a lever for sensitivity analysis"),
    )
    leave_unschooled: float = param(
        1.0, "logit", 0.0, 10.0, "Log-odds gain of leaving when a child of compulsory age has no school place",
        prov=assumed("no source found; a plausible order of magnitude, kept as a lever for sensitivity analysis"),
    )

    def __post_init__(self) -> None:
        validate(self)


def behaviour_param_names() -> list[str]:
    """Names of every behavioural parameter (the keywords ``UrbanizationModel`` accepts besides its own)."""
    return [f.name for f in dataclasses.fields(BehaviourParams)]
