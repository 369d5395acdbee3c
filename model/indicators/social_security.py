"""Social security (Changshu, Jinnan): urban pension and medical insurance coverage of migrants and local farmers."""

from __future__ import annotations

from collections.abc import Callable

from urbanize.model.enums import HouseholdType
from urbanize.model.indicators.base import Snapshot, ratio
from urbanize.model.indicators.service_base import cached, service_indicator
from urbanize.model.services.social_security import (
    INSURANCE_EMPLOYEE,
    INSURANCE_RESIDENT,
    PENSION_EMPLOYEE,
    PENSION_RESIDENT,
)


def _coverage(col: str, codes: tuple[int, int], group: int) -> Callable:
    """Weighted share of households of ``group`` (1 migrants, 2 local farmers) whose ``col`` is in ``codes``."""

    def coverage(s: Snapshot) -> float:
        pop = s.pop
        among = cached(
            s, f"group_{group}", lambda: s.nonlocal_ if group == 1 else s.htype == HouseholdType.LOCAL_FARMER
        )
        w = cached(s, f"group_weight_{group}", lambda: pop.weight * among)
        v = pop.col(col)
        covered = (v == codes[0]) | (v == codes[1])
        return ratio(float((w * covered).sum()), float(w.sum()))

    return coverage


service_indicator(
    "pension_coverage_migrant",
    "Share of migrant households enrolled in an urban pension scheme (employee or urban-rural resident)",
    "share",
)(_coverage("pension", (PENSION_EMPLOYEE, PENSION_RESIDENT), 1))
service_indicator(
    "pension_coverage_local_farmer",
    "Share of local-farmer households enrolled in an urban pension scheme (employee or urban-rural resident)",
    "share",
)(_coverage("pension", (PENSION_EMPLOYEE, PENSION_RESIDENT), 2))
service_indicator(
    "urban_medical_insurance_coverage_migrant",
    "Share of migrant households in urban medical insurance (employee or urban resident)",
    "share",
)(_coverage("insured", (INSURANCE_EMPLOYEE, INSURANCE_RESIDENT), 1))
service_indicator(
    "urban_medical_insurance_coverage_local_farmer",
    "Share of local-farmer households in urban medical insurance (employee or urban resident)",
    "share",
)(_coverage("insured", (INSURANCE_EMPLOYEE, INSURANCE_RESIDENT), 2))
