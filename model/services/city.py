"""The city's services (docs/model.md, section 7.3): the orchestrator of the catalogue.

:class:`CityServices` creates the services of a run, refreshes who may use them, runs the monthly phases
(households apply, services allocate, costs are booked) and answers the access index. Each service lives in the
module of its sector; a new service is a new module and one line in :meth:`CityServices.setup`:

* ``schools``: ``primary_school``, ``junior_school`` (public seats, counted in classes) and
  ``private_migrant_school``; ``levels``: ``kindergarten`` (ages 3-5) and ``senior_school`` (15-17), fee-paying,
  with a generator of their own;
* ``health``: ``child_health`` (profiles and immunisation, 0-36 months) and ``maternal_health``;
* ``community``: ``community_centre`` (places in community service centres, per district);
* ``housing``: ``public_rental`` (public rental flats; renters in need queue for them);
* ``training``: ``training`` (vocational training places, city-wide);
* ``assistance``: the entitlements ``dibao`` and ``hardship_aid``;
* ``social_security``: the entitlements ``pension`` and ``medical_insurance``;
* ``ncms``: the new rural cooperative medical scheme of local rural households (``CityServices.ncms``: funding,
  compensation and yearly enrolment, from a generator of its own, so that it changes no other draw);
* ``elderly_care``: ``elder_home_support``, ``elder_day_care`` and ``elder_care_home`` with dependent elders and
  their carers (``CityServices.elderly``; allocated after the others, from a generator of their own, so that they
  change no other draw);
* ``disability``: persons with disability and who of them is assisted (``CityServices.disability``);
  ``coupons``: education coupons issued and used (``CityServices.coupons``, recorded by the policies).

Capacity-limited services (``base.Service``) are allocated in the order of :data:`CAPACITY_SERVICES`;
entitlements (``base.Entitlement``) have eligibility and take-up. Every service asks the policies who may use it
(``model.policy_set.service_access``), so a policy such as ``linked_registration`` opens services to registered
migrants without touching the services. The starting calibration is in ``calibration`` and the unit costs, with
their sources, in ``costs`` (yuan in 2009 prices).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from urbanize.model.enums import Skill
from urbanize.model.services import levels
from urbanize.model.services.assistance import Dibao, HardshipAid
from urbanize.model.services.base import Entitlement, Service, ServiceSet, all_rows
from urbanize.model.services.calibration import calibrate, config, initial_entitlements
from urbanize.model.services.community import CommunityCentre
from urbanize.model.services.coupons import CouponBook
from urbanize.model.services.disability import Disability
from urbanize.model.services.elderly_care import ElderlyCare
from urbanize.model.services.health import ChildHealth, MaternalHealth
from urbanize.model.services.housing import PublicRental
from urbanize.model.services.ncms import RuralCooperativeMedical
from urbanize.model.services.schools import JuniorSchool, PrimarySchool, PrivateMigrantSchool
from urbanize.model.services.social_security import MedicalInsurance, Pension
from urbanize.model.services.take_up import add_columns, draw_tastes, health_take_up, school_choice
from urbanize.model.services.training import Training

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel

#: Services whose access is asked of the policies; the first eleven make up the access index (the pre-school and
#: senior-middle levels, added later, are outside it, so the index keeps its meaning).
ACCESS_SERVICES = (
    "primary_school",
    "junior_school",
    "child_health",
    "maternal_health",
    "community_centre",
    "public_rental",
    "training",
    "dibao",
    "hardship_aid",
    "pension",
    "medical_insurance",
    "private_migrant_school",
    "kindergarten",
    "senior_school",
)
INDEX_SERVICES = 11
#: bits of the access code of ``CityServices.refresh_access``: one per service, then local urban, non-local
_GROUP_BIT = len(ACCESS_SERVICES)
assert _GROUP_BIT + 2 <= 16, "access answers and groups are coded in 16 bits"
#: The capacity-limited services, in allocation order.
CAPACITY_SERVICES = (
    "primary_school",
    "junior_school",
    "private_migrant_school",
    "child_health",
    "maternal_health",
    "community_centre",
    "public_rental",
    "training",
    "kindergarten",
    "senior_school",
)


class CityServices(ServiceSet):
    """The full service catalogue of a city, calibrated from its ``[services]`` section."""

    def __init__(self, model: UrbanizationModel) -> None:
        super().__init__(model)
        self.config = config(model)
        self.entitlements: list[Entitlement] = []
        self._access_ready = False
        self.access_rates: dict[str, tuple[float, float]] = {}  # (local urban, migrant) shares with access
        self.sanitation_coverage = np.zeros(len(model.profile.districts))  # share of residents served
        self.extra_costs: list[tuple[str, float, str]] = []  # (sector, yuan, payer) booked at month end
        self.budgets: dict[str, float] = {}  # planned annual budget by service (``service_costing``)
        self.sent_home = 0.0  # children of compulsory age sent home this month (left-behind; ``take_up``)
        self.coupons = CouponBook(model)  # education coupons issued and used (Yanta; recorded by policies)
        #: the month's recurrent education spending by the pupil's hukou, yuan: (local, non-local) (``book``)
        self.education_by_hukou = (0.0, 0.0)
        self.education_per_migrant_start = float("nan")  # its value per migrant child at month 0 (``settle``)

    # --- construction ----------------------------------------------------------------------------------
    def setup(self) -> None:
        model, cfg = self.model, self.config
        pop = model.pop
        pop.add_column("graduate", np.bool_, False, "head is a university graduate")
        for name in ACCESS_SERVICES:
            pop.add_column(f"acc_{name}", np.bool_, False, f"the policies let the household use {name}")
        pop.add_column("access_count", np.int8, 0, "household services (of eleven) the household may use")
        add_columns(model)
        pop.add_column(
            "community_reached", np.bool_, False, "a community service centre's desk reaches the household"
        )
        pop.add_column("org_member", np.int8, -1, "community social organization joined (type index), -1 none")
        self.primary = PrimarySchool(model, cfg["class_size_norm_primary"], cfg["max_class_size"])
        self.junior = JuniorSchool(model, cfg["class_size_norm_junior"], cfg["max_class_size"])
        self.private = PrivateMigrantSchool(model, slack=cfg["private_school_slack"])
        self.child_health = ChildHealth(model)
        self.maternal_health = MaternalHealth(model)
        self.community = CommunityCentre(model)
        self.public_rental = PublicRental(model)
        self.training = Training(model)
        levels.add_columns(model)
        self.kindergarten, self.senior, self.levels_rng = levels.create(model, cfg)
        self.services = [
            self.primary,
            self.junior,
            self.private,
            self.child_health,
            self.maternal_health,
            self.community,
            self.public_rental,
            self.training,
            self.kindergarten,
            self.senior,
        ]
        self.dibao = Dibao(model, cfg["dibao_line_urban"], cfg["dibao_line_rural"])
        self.hardship_aid = HardshipAid(model, cfg["dibao_line_urban"])
        self.pension = Pension(model)
        self.medical_insurance = MedicalInsurance(model)
        self.entitlements = [self.dibao, self.hardship_aid, self.pension, self.medical_insurance]
        self._column = {name: j for j, name in enumerate(ACCESS_SERVICES)}
        self.ncms = RuralCooperativeMedical(model)
        calibrate(self)
        self.ncms.enrol()
        self.ncms.entered = 0.0  # the starting members are not the month's new entitlements
        self.elderly = ElderlyCare(model)
        self.elderly.calibrate()
        self.disability = Disability(model)
        self.disability.draw(all_rows(pop.n))

    def set_static(self, rows: np.ndarray) -> None:
        """Columns fixed at arrival: graduates are high-skill heads (years since graduation: age - 22); the
        persistent tastes of the fee and take-up rules (``take_up``)."""
        pop = self.model.pop
        pop.graduate[rows] = pop.skill[rows] == Skill.HIGH
        draw_tastes(self.model, rows)
        levels.draw_tastes(self, rows)

    # --- access ------------------------------------------------------------------------------------------
    def refresh_access(self, rows: np.ndarray | None = None) -> None:
        """Ask the policies who may use each service (all rows, or ``rows``)."""
        pop = self.model.pop
        ps = self.model.policy_set
        if rows is not None:
            count = np.zeros(rows.size, dtype=np.int8)
            for j, name in enumerate(ACCESS_SERVICES):
                ans = ps.service_access(name, rows)
                pop.col(f"acc_{name}")[rows] = ans
                if j < INDEX_SERVICES:
                    count += ans
            pop.access_count[rows] = count
            return
        n = pop.n
        rows = all_rows(n)
        self._access_ready = True
        count = np.zeros(n, dtype=np.int8)
        # for the access-gap indicators: each household's answers as the bits of one 16-bit code, so the persons of
        # every combination are summed in one weighted count (one pass, float64). The code is built as two bytes
        # (bits 0-7, 8-15), a multiply and an OR of 8-bit arrays in place per service, instead of widening every
        # mask to 16 bits (three passes and two temporaries of twice the size); the answers are written
        # straight into their columns and counted through their bytes (an add of equal types, no cast)
        low, high, bit = np.zeros(n, dtype=np.uint8), np.zeros(n, dtype=np.uint8), np.empty(n, dtype=np.uint8)

        def set_bit(mask: np.ndarray, j: int) -> None:
            np.multiply(mask.view(np.uint8), np.uint8(1 << (j % 8)), out=bit)
            np.bitwise_or(low if j < 8 else high, bit, out=low if j < 8 else high)

        for j, name in enumerate(ACCESS_SERVICES):
            ans = ps.service_access(name, rows, out=pop.col(f"acc_{name}"))
            if j < INDEX_SERVICES:
                np.add(count, ans.view(np.int8), out=count)
            set_bit(ans, j)
        pop.access_count[:] = count
        set_bit(pop.hukou_local & pop.hukou_urban, _GROUP_BIT)
        set_bit(~pop.hukou_local, _GROUP_BIT + 1)
        code = high.astype(np.uint16)
        code <<= 8
        code |= low
        # the 16-bit persons column times the weights: the products of pop.persons() (64-bit), a widening fewer
        persons = np.bincount(code, weights=pop.size * pop.weight, minlength=1 << (_GROUP_BIT + 2))
        # rows of the table: code >> _GROUP_BIT = local urban + 2 x non-local (the groups are disjoint)
        table = persons.reshape(4, 1 << _GROUP_BIT)
        rates: dict[str, tuple[float, float]] = {}
        totals = [float(table[1].sum()), float(table[2].sum())]
        for j, name in enumerate(ACCESS_SERVICES):
            pair = []
            for row, total in zip((table[1], table[2]), totals, strict=True):
                # from those without access (bit j clear): a group with access everywhere gets exactly 1
                without = float(row.reshape(-1, 2, 1 << j)[:, 0, :].sum())
                pair.append(1.0 - without / total if total > 0 else float("nan"))
            rates[name] = (pair[0], pair[1])
        self.access_rates = rates

    def access(self, name: str) -> np.ndarray:
        """Access mask of service ``name`` over all rows (as of the last refresh)."""
        if not self._access_ready:
            self.refresh_access()
        return self.model.pop.col(f"acc_{name}")

    def access_index(self, rows: np.ndarray) -> np.ndarray:
        """Share of the eleven household services (schools, health, community, housing, training,
        assistance, pensions, insurance) a household may use, 0-1 (refreshed each decision phase)."""
        if not self._access_ready:
            self.refresh_access()
        return self.model.pop.access_count[rows] / float(INDEX_SERVICES)

    def settle(self) -> None:
        """Month 0: households eligible for dibao receive it, as in the steady state of its monthly take-up
        (half of the newly eligible a month, so nearly every eligible household receives it); before, dibao
        started at 0 and jumped to its level within the first months."""
        take_up = self.dibao.take_up
        self.dibao.take_up = 1.0
        try:
            self.dibao.apply(self.access(self.dibao.name))
        finally:
            self.dibao.take_up = take_up
        levels.calibrate(self)
        self.education_by_hukou = self.education_split()
        self.education_per_migrant_start = self.education_per_migrant_child()

    # --- the monthly phases --------------------------------------------------------------------------
    def apply(self) -> None:
        """Decision phase: courses advance, access is refreshed, families decide which school fees they would pay
        (and send home children they can school nowhere), households apply, health profiles only where taken up
        (``take_up``; pregnancies advance in the life events: model/fertility.py)."""
        self.training.progress()
        self.training.draw_interest()
        self.refresh_access()
        self.sent_home = 0.0
        school_choice(self)
        levels.level_choice(self)
        for svc in self.services:
            access = self.access(svc.name)
            if svc is self.child_health or svc is self.maternal_health:
                # take-up is asked only where a profile is needed: elsewhere a service never reads the access mask
                # (no units lacking), so the mask is the same where it matters, for a fraction of the rows
                need = svc.need_all()
                svc.apply(health_take_up(self.model, svc.fee_nonlocal, access & (need > 0)), need)
            else:
                svc.apply(access)
        for ent in self.entitlements:
            ent.apply(self.access(ent.name))
        self.ncms.apply()
        self.elderly.apply()
        self.disability.clip()

    def allocate(self) -> None:
        """Allocation phase: each service admits by its priority rule (public schools before private)."""
        for svc in self.services:
            if svc is self.private or svc is self.kindergarten:
                # capacity follows demand first; it changes no holding or queue, so the allocation takes the used
                # capacity and the queue the adjustment found (two passes over the rows fewer each)
                queue = self.private.reconcile() if svc is self.private else svc.queue_rows()
                used = svc.used()
                svc.adjust(used, svc.queued(queue))
                svc.allocate(used, queue)
            else:
                svc.allocate()
        self.update_unschooled()
        self.elderly.allocate()

    def book(self) -> None:
        """Book the month's costs by sector and payer (real-population terms)."""
        ledger = self.model.ledger
        self.education_by_hukou = self.education_split()
        central = 0.0
        for svc in [*self.services, *self.entitlements, self.ncms]:
            if svc is self.pension:  # its central part from the same pass (booked below, in the same order)
                c, fee, central = self.pension.booking()
            else:
                c, fee = svc.cost_and_fees()
            if c > 0:
                ledger.charge(svc.sector, c, svc.payer)
            if fee > 0:
                ledger.charge(svc.sector, fee, "households")
        if central > 0:
            ledger.charge("social_security", central, "central")
        for sector, amount, payer in self.extra_costs:
            if amount > 0:
                ledger.charge(sector, amount, payer)
        self.extra_costs = []

    def education_split(self) -> tuple[float, float]:
        """This month's recurrent spending of the schools (not construction), split by the pupil's hukou:
        (local, non-local), yuan; the two add up to the schools' booked costs."""
        local = nonlocal_ = 0.0
        for svc in (self.primary, self.junior, self.private, self.kindergarten, self.senior):
            a, b = svc.cost_by_hukou()
            local, nonlocal_ = local + a, nonlocal_ + b
        return local, nonlocal_

    def education_per_migrant_child(self) -> float:
        """The non-hukou part of :meth:`education_split` as booked this month, yuan a year per non-hukou child aged
        3-17 in the city (NaN without such children)."""
        pop = self.model.pop
        kids = pop.kids_3_5 + pop.kids_6_11 + pop.kids_12_14 + pop.kids_15_17
        children = float((kids * pop.weight * ~pop.hukou_local).sum())
        return 12.0 * self.education_by_hukou[1] / children if children > 0 else float("nan")

    def charge(self, sector: str, amount: float, payer: str = "city") -> None:
        """Queue a policy's cost to be booked with this month's services."""
        self.extra_costs.append((sector, float(amount), payer))

    def on_arrival(self, rows: np.ndarray) -> None:
        self._enter(rows, arriving=True)

    def on_formation(self, rows: np.ndarray) -> None:
        """New local couples: enrolled in the local schemes as the starting population is."""
        self._enter(rows, arriving=False)

    def _enter(self, rows: np.ndarray, arriving: bool) -> None:
        """Service state of households new to the rows: static columns, entitlements, access."""
        self.set_static(rows)
        initial_entitlements(self.model, rows, arriving=arriving)
        self.ncms.draw_tastes(rows)
        if not arriving:  # a new local couple decides on the local scheme as the starting population did
            self.ncms.enrol(rows)
        self.elderly.on_arrival(rows)
        self.disability.draw(rows)
        if self._access_ready:
            self.refresh_access(rows)

    # --- helpers -------------------------------------------------------------------------------------
    def update_unschooled(self) -> None:
        pop = self.model.pop
        pop.unschooled[:] = np.maximum(
            pop.kids_6_11
            + pop.kids_12_14
            - pop.use_primary_school
            - pop.use_junior_school
            - pop.use_private_migrant_school,
            0,
        )

    def household_services(self) -> dict[str, Service]:
        return {s.name: s for s in self.services}

    def by_name(self, name: str) -> Service | Entitlement:
        for s in [*self.services, *self.entitlements]:
            if s.name == name:
                return s
        raise KeyError(f"no service '{name}'; services: {', '.join(ACCESS_SERVICES)}")

    def __getitem__(self, name: str) -> Any:
        return self.by_name(name)

    def __contains__(self, name: object) -> bool:
        return name in ACCESS_SERVICES


__all__ = ["ACCESS_SERVICES", "CAPACITY_SERVICES", "INDEX_SERVICES", "CityServices"]
