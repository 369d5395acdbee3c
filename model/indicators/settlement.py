"""Settlement and work: settlement intention (split by the head's sex and age), unemployment, formal jobs, income."""

from __future__ import annotations

from urbanize.model.enums import HouseholdType
from urbanize.model.indicators.base import Snapshot, indicator, ratio, split_by_head
from urbanize.model.indicators.tables import HOUSEHOLDS, PERSONS


@indicator(
    "settlement_intention",
    "Share of migrants (non-local hukou) intending to settle (CMDS 2015: 57 %)",
    "share",
)
def settlement_intention(s: Snapshot) -> float:
    return s.share_of("intends_settle", "type_migrant", "nonlocal")


split_by_head("settlement_intention", "Settlement intention", "intends_settle", "type_migrant", "nonlocal")


@indicator(
    "migrant_stay_3y_share",
    "Share of migrants (non-local hukou, in the city a month or more) who have lived here 3 years or more "
    "(CMDS 2014: 55 %)",
    "share",
)
def migrant_stay_3y_share(s: Snapshot) -> float:
    # the CMDS samples migrants who have lived in the city for more than a month: arrivals of this month are out
    return PERSONS.share(s, "stay_3y", "migrant_type", "nonlocal", "resident_1m")


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
    return PERSONS.share(s, "not nonlocal", "high_skill", "migrant_origin")


@indicator("unemployment_rate_migrant", "Share of migrant heads of working age without a job", "share")
def unemployment_rate_migrant(s: Snapshot) -> float:
    # as ``labour.unemployment(HouseholdType.MIGRANT)``: heads under 60 of migrant-type households, 0 when none
    among = ("head_under_60", "migrant_type")
    return HOUSEHOLDS.total(s, "not employed", *among) / max(HOUSEHOLDS.total(s, *among), 1e-12)


@indicator("unemployment_rate_local", "Share of local heads of working age without a job", "share")
def unemployment_rate_local(s: Snapshot) -> float:
    return HOUSEHOLDS.share(s, "not employed", "head_under_60", "not nonlocal")


@indicator("formal_job_share_migrant", "Share of employed migrant heads with a formal contract", "share")
def formal_job_share_migrant(s: Snapshot) -> float:
    return HOUSEHOLDS.share(s, "formal", "employed", "migrant_type", "nonlocal")


@indicator(
    "income_ratio_migrant_local", "Mean income per person of migrants over that of local residents", "ratio"
)
def income_ratio_migrant_local(s: Snapshot) -> float:
    pop = s.pop
    income = pop.income * pop.weight
    migrant = (s.htype == int(HouseholdType.MIGRANT)) & s.nonlocal_
    per_mig = ratio(float((income * migrant).sum()), s.persons_with("type_migrant", "nonlocal"))
    per_loc = ratio(float((income * pop.hukou_local).sum()), s.persons_with("not nonlocal"))
    return ratio(per_mig, per_loc)
