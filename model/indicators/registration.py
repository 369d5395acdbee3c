"""Registration and hukou: registration rates (split by the head's sex and age), permits, conversions, awareness."""

from __future__ import annotations

from urbanize.model.indicators.base import Snapshot, indicator, split_by_head
from urbanize.model.indicators.tables import PERSONS


@indicator(
    "registration_rate", "Share of non-local-hukou residents registered, with a permit or applying", "share"
)
def registration_rate(s: Snapshot) -> float:
    return s.share_of("registered", "nonlocal")


split_by_head("registration_rate", "Registration rate", "registered", "nonlocal")


@indicator("residence_permit_holders", "Residents holding a residence permit (permit or applying)", "persons")
def residence_permit_holders(s: Snapshot) -> float:
    return PERSONS.total(s, "permit")


@indicator("residence_permits", "Residence permits issued since the start, cumulative", "persons")
def residence_permits(s: Snapshot) -> float:
    return s.model.cumulative["residence_permits"]


@indicator("hukou_applicants", "Residents in households waiting for a hukou decision", "persons")
def hukou_applicants(s: Snapshot) -> float:
    return PERSONS.total(s, "applicant")


@indicator(
    "hukou_conversions", "Conversions to local urban hukou since the start (migrants and farmers)", "persons"
)
def hukou_conversions(s: Snapshot) -> float:
    c = s.model.cumulative
    return c["hukou_conversions_migrant"] + c["hukou_conversions_local_farmer"]


@indicator("hukou_conversions_migrant", "Migrants converted to local urban hukou since the start", "persons")
def hukou_conversions_migrant(s: Snapshot) -> float:
    return s.model.cumulative["hukou_conversions_migrant"]


@indicator(
    "hukou_conversions_local_farmer", "Local farmers converted to urban hukou since the start", "persons"
)
def hukou_conversions_local_farmer(s: Snapshot) -> float:
    return s.model.cumulative["hukou_conversions_local_farmer"]


@indicator(
    "awareness_registration", "Share of non-local-hukou residents aware of the registration system", "share"
)
def awareness_registration(s: Snapshot) -> float:
    return s.share_of("aware_registration", "nonlocal")


@indicator("awareness_hukou", "Share of non-local-hukou residents aware of a hukou pathway", "share")
def awareness_hukou(s: Snapshot) -> float:
    return s.share_of("aware_hukou", "nonlocal")
