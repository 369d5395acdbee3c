"""Settlement and work: settlement intention (split by the head's sex and age), unemployment, formal jobs, income."""

from __future__ import annotations

import numpy as np

from urbanize.model.enums import HouseholdType, Job, Skill
from urbanize.model.indicators.base import Snapshot, indicator, ratio, split_by_head


def _migrant_type(s: Snapshot) -> np.ndarray:
    """Rows of migrant-type households without local hukou (four indicators ask; computed once a month)."""
    cache = s.__dict__.setdefault("_settlement_cache", {})
    if "migrant_type" not in cache:
        cache["migrant_type"] = (s.htype == HouseholdType.MIGRANT) & s.nonlocal_
    return cache["migrant_type"]


@indicator(
    "settlement_intention",
    "Share of migrants (non-local hukou) intending to settle (CMDS 2015: 57 %)",
    "share",
)
def settlement_intention(s: Snapshot) -> float:
    return s.share_of("intends_settle", "type_migrant", "nonlocal")


split_by_head("settlement_intention", "Settlement intention", "intends_settle", "type_migrant", "nonlocal")


STAY_MONTHS = 36  # "more than 3 years" in the NHFPC's report on the 2014 CMDS (model/targets.toml)


@indicator(
    "migrant_stay_3y_share",
    "Share of migrants (non-local hukou, in the city a month or more) who have lived here 3 years or more "
    "(CMDS 2014: 55 %)",
    "share",
)
def migrant_stay_3y_share(s: Snapshot) -> float:
    # the CMDS samples migrants who have lived in the city for more than a month: arrivals of this month are out
    months = s.pop.months_resident
    return s.share(months >= STAY_MONTHS, _migrant_type(s) & (months >= 1))


@indicator(
    "hukou_transfer_willingness",
    "Share of migrants intending to settle who would transfer their hukou here if eligible (CMDS 2016: 48.7 %)",
    "share",
)
def hukou_transfer_willingness(s: Snapshot) -> float:
    return s.share_of("wants_hukou", "intends_settle", "nonlocal")


@indicator(
    "hukou_share_high_skill_migrants",
    "Share of persons in high-skill households of migrant origin (migrants and migrants granted local urban hukou "
    "here) who hold local urban hukou: talents settled in the city (Changshu's housing project for talents)",
    "share",
)
def hukou_share_high_skill_migrants(s: Snapshot) -> float:
    pop = s.pop
    among = s.pw * ((pop.skill == Skill.HIGH) & (_migrant_type(s) | pop.former_migrant))
    return ratio(float((among * pop.hukou_local).sum()), float(among.sum()))


@indicator("unemployment_rate_migrant", "Share of migrant heads of working age without a job", "share")
def unemployment_rate_migrant(s: Snapshot) -> float:
    return s.model.labour.unemployment(HouseholdType.MIGRANT)


@indicator("unemployment_rate_local", "Share of local heads of working age without a job", "share")
def unemployment_rate_local(s: Snapshot) -> float:
    pop = s.pop
    mask = (pop.head_age < 60) & pop.hukou_local
    w = pop.weight[mask]  # gathered once for both sums
    return ratio(float((w * (pop.job[mask] == Job.NONE)).sum()), float(w.sum()))


@indicator("formal_job_share_migrant", "Share of employed migrant heads with a formal contract", "share")
def formal_job_share_migrant(s: Snapshot) -> float:
    pop = s.pop
    employed = pop.weight * (_migrant_type(s) & (pop.job != Job.NONE))
    return ratio(float((employed * (pop.job == Job.FORMAL)).sum()), float(employed.sum()))


@indicator(
    "income_ratio_migrant_local", "Mean income per person of migrants over that of local residents", "ratio"
)
def income_ratio_migrant_local(s: Snapshot) -> float:
    pop = s.pop
    w = pop.weight
    mig = _migrant_type(s)
    loc = pop.hukou_local
    income = pop.income * w
    per_mig = ratio(float((income * mig).sum()), float((s.pw * mig).sum()))
    per_loc = ratio(float((income * loc).sum()), float((s.pw * loc).sum()))
    return ratio(per_mig, per_loc)
