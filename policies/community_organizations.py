"""Jinnan: community social organizations and the reform of villagers' committees in the model towns.

Seed ch.2 IV.2 (Jinnan, reform of community management service system): "Foster and develop community social
organizations"; "Gradually reform villagers' committees, some of whose functions be gradually shifted to community
committees (neighbourhood committees) and community social organizations"; indicators "Number of community social
organizations, by type members, and activities conducted" and "Percentage of reformed villagers committees in model
towns; shift in its roles before and after the reform". Chapter three (2011 milestones): "The setting up of an
elderly association in a farmer' dwelling area in Shuangang Town, and its conduct of activities".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from urbanize.model.enums import DistrictKind
from urbanize.model.params import param, validate
from urbanize.model.provenance import assumed
from urbanize.policies._services import city_services, districts_of_kind, ramp_share
from urbanize.policies.base import Policy
from urbanize.policies.registry import register

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel

#: Organization types: an elderly association (households with an elder) and a residents' association (others).
TYPES = ("elderly_association", "residents_association")


@register
class CommunityOrganizations(Policy):
    """Jinnan: villagers' committees reformed into community committees that foster social organizations.

    Mechanism: the share of model-town communities whose villagers' committee is reformed rises to
    ``reform_target`` over ``reform_months`` (each household's community is reformed, or not, once: a fixed draw);
    in a reformed community the committee's social-insurance and assistance functions pass to the community
    committee and its organizations. Households there join a social organization with monthly chance
    ``join_rate`` (``elder_join_rate`` for an elderly association where an elder lives, as in Shuangang Town's);
    members stay while they live in a reformed community. Organizations carry the social-insurance items to their
    members: members take up pensions and medical insurance ``take_up_boost`` times as readily (the community
    delivery of ``community_service_centres``; the larger boost applies when both run) and learn of every policy
    topic with chance ``outreach`` a month. Organizations are counted as members / ``members_per_organization``.

    Effect size: members take up pensions faster, so farmers' coverage in any scheme rises slowly, as communities
    are reformed and households join: +0.025 after 24 months in Jinnan at 1,000 households (about the spread
    between paired replicates, 0.018), +0.046 after 48. The same with the settle_const the calibration replaced
    (issue 11; docs/coverage.md, "Measures whose effect is small").

    Usage::

        UrbanizationModel(city="jinnan", policies="community_organizations")
    """

    name = "community_organizations"
    pilot = "Jinnan"
    summary = (
        "Villagers' committees reformed; community social organizations carry services to members (Jinnan)"
    )

    @dataclass(frozen=True)
    class Params:
        reform_target: float = param(
            1.0,
            "share of communities",
            0.0,
            1.0,
            "Share of model-town villagers' committees reformed",
            prov=assumed(
                "no source found in the seed or the literature; a plausible value to be varied in sweeps (docs/policies.md)"
            ),
        )
        reform_months: int = param(
            24,
            "months",
            1,
            120,
            "Months to reform them (assumed)",
            prov=assumed("no source found; a plausible value to be varied in sweeps"),
        )
        join_rate: float = param(
            0.02,
            "1/month",
            0.0,
            1.0,
            "Monthly chance a household joins a residents' association (assumed)",
            prov=assumed("no source found; a plausible value to be varied in sweeps"),
        )
        elder_join_rate: float = param(
            0.05,
            "1/month",
            0.0,
            1.0,
            "The same for an elderly association, households with elders (assumed)",
            prov=assumed("no source found; a plausible value to be varied in sweeps"),
        )
        take_up_boost: float = param(
            2.0,
            "multiplier",
            1.0,
            20.0,
            "Take-up of pensions and insurance by members (assumed)",
            prov=assumed("no source found; a plausible value to be varied in sweeps"),
        )
        outreach: float = param(
            0.05,
            "1/month",
            0.0,
            1.0,
            "Monthly chance a member learns of each policy (assumed)",
            prov=assumed("no source found; a plausible value to be varied in sweeps"),
        )
        members_per_organization: float = param(
            60.0,
            "households",
            1.0,
            10000.0,
            "Member households per organization (assumed)",
            prov=assumed("no source found; a plausible value to be varied in sweeps"),
        )

        def __post_init__(self) -> None:
            validate(self, "community_organizations ")

    def setup(self, model: UrbanizationModel) -> None:
        svc = city_services(model, self.name)
        pop = model.pop
        pop.add_column(
            "community_rank", np.float32, 1.0, "place of the household's community in the reform order"
        )
        self.towns = districts_of_kind(model, DistrictKind.NEW_TOWN, DistrictKind.RURAL_TOWNSHIP)
        pop.community_rank[:] = model.rng.random(pop.n)
        for s in (svc.pension, svc.medical_insurance):
            s.delivery_boost = max(s.delivery_boost, self.params.take_up_boost)
        self.reformed_share = 0.0

    def reformed(self, model: UrbanizationModel) -> np.ndarray:
        """Mask of households living in a model-town community whose villagers' committee is reformed."""
        pop = model.pop
        return self.towns[pop.district] & (pop.community_rank < self.reformed_share)

    def act(self, model: UrbanizationModel) -> None:
        pop, rng, p = model.pop, model.rng, self.params
        self.reformed_share = p.reform_target * ramp_share(model, p.reform_months)
        new = pop.community_rank == 1.0  # households that arrived or formed since: their community's place
        if new.any():
            pop.community_rank[new] = rng.random(int(new.sum()))
        here = self.reformed(model)
        pop.org_member[~here] = -1  # moved away from a reformed community
        cand = np.flatnonzero(here & (pop.org_member < 0))
        elder = pop.elders[cand] > 0
        join = cand[rng.random(cand.size) < np.where(elder, p.elder_join_rate, p.join_rate)]
        pop.org_member[join] = np.where(pop.elders[join] > 0, 0, 1).astype(np.int8)
        members = np.flatnonzero(pop.org_member >= 0)
        for topic in model.awareness.topics:
            model.awareness.boost(topic, members, p.outreach)

    def members(self, model: UrbanizationModel, kind: int | None = None) -> float:
        pop = model.pop
        mask = pop.org_member >= 0 if kind is None else pop.org_member == kind
        return float(pop.weight[mask].sum())
