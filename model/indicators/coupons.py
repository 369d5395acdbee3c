"""Education coupons and city-life skills (Yanta): coupons issued and used by type and group, take-up, persons
trained ("Type and amount of education coupon issued to local farmers and migrants"; "Times & person-times of
migrants and local farmers receiving vocational and city life skills training")."""

from __future__ import annotations

from collections.abc import Callable

from urbanize.model.indicators.base import Snapshot
from urbanize.model.indicators.service_base import NAN, service_indicator, services_of
from urbanize.model.services.coupons import COUPON_TYPES


def _count(action: str, kind: str, group: str | None) -> Callable[[Snapshot], float]:
    def count(s: Snapshot) -> float:
        svc = services_of(s)
        return NAN if svc is None else svc.coupons.count(action, kind, group)

    return count


def _take_up(kind: str) -> Callable[[Snapshot], float]:
    def take_up(s: Snapshot) -> float:
        svc = services_of(s)
        return NAN if svc is None else svc.coupons.take_up(kind)

    return take_up


for _kind in COUPON_TYPES:
    _label = _kind.replace("_", "-")
    for _action in ("issued", "used"):
        service_indicator(
            f"coupons_{_action}_{_kind}", f"Education coupons ({_label}) {_action} this month", "households"
        )(_count(_action, _kind, None))
        for _group in ("migrant", "local_farmer"):
            service_indicator(
                f"coupons_{_action}_{_kind}_{_group}",
                f"Education coupons ({_label}) {_action} this month to {_group.replace('_', ' ')} households",
                "households",
            )(_count(_action, _kind, _group))
    service_indicator(
        f"coupon_take_up_{_kind}", f"Education coupons ({_label}) used per coupon issued since the start", "share"
    )(_take_up(_kind))


@service_indicator(
    "city_life_skills_trained", "Heads completing a city-life skills course this month (Yanta)", "persons"
)
def city_life_skills_trained(s: Snapshot) -> float:
    policy = s.model.policy_set.get("city_life_skills")
    return 0.0 if policy is None else float(getattr(policy, "trained", 0.0))
