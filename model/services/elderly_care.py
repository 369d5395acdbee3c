"""Elderly care (Yanta, Changshu): dependent elders, community home-based support, day-care beds, institution
beds and the carers who staff them.

Seed ch.2 III.2 (Yanta, community public service system): "Develop community support system for elderly care
and provide elderly care training for local farmers and migrants"; "Methods to support elderly institutional care
through financial subsidies"; indicator "Number of beds in day care centres and amount of financial subsidies
provided to elder care institutions". Seed ch.2 V.2 (Changshu, social securities): "Gradually transform the way
elderly are supported and develop a new system combining family support with social support"; "Policies in support
of the development of private elderly care institutions"; "Regulations on criteria for financial subsidies to
elderly care institutions in line with the quality and quantity of care"; indicator "Beds in the elderly care
institutions".

Elders are the persons aged 60+ of ``model/members.py``. The rules and what they assume:

* **Poor health.** ``frail_elders`` counts a household's elders in poor health (2010 census: 13.9 % of persons
  60+ "unhealthy but able to care for themselves" and 2.95 % "unable to care for themselves", 16.8 % in all; the
  gradient by band, :data:`DEPENDENT_SHARE`, is assumed and reproduces that figure with the census age structure of
  elders). At the start (and on arrival) each elder is in poor health with the chance of its band; afterwards a
  healthy elder falls ill with monthly chance ``share / DEPENDENCY_MONTHS`` and an ill one leaves the count
  (recovery, or a death the demography does not tie to health) with chance ``1 / DEPENDENCY_MONTHS``, which keeps
  the shares stationary (assumed mean spell of three years); deaths of elders clip the count.
* **Needs.** Community home-based support (``elder_home_support``: meals, visits, help at home; places per
  district) is needed by elders aged 70+ in households without a working-age adult (empty nests). A day-care bed
  (``elder_day_care``, per district) is needed by elders in poor health living with a working-age adult (the family
  cares at night and works by day). An institution bed (``elder_care_home``, city-wide) may be sought for elders in
  poor health without a working-age adult at home, by a household that can pay the fee net of the operating
  subsidy with at most ``fee_income_share`` of its income (assumed 0.8: the rest feeds the household); such a
  household starts seeking with monthly chance ``seek_rate`` per elder (assumed 0.03: most families keep their
  elders at home) and keeps its bed, or its place in the queue, while the elder is ill and the fee affordable.
* **Access** is asked of the policies (``service_access``). Under the status quo, institutions admit anyone who
  pays, while community support and day care, run by the communities, serve local hukou holders.
* **Staffing.** Beds and places are open only as far as carers staff them: ``open capacity = capacity x
  min(1, carers / carers needed)``, at :data:`ELDERS_PER_CARER`. At the start the existing capacity is fully
  staffed; when a policy adds capacity, institutions hire carers in the labour market, ``hire_rate`` of the
  vacancies a month (assumed: trained carers were scarce), and carers trained by ``elderly_care_training`` fill
  vacancies as they finish.
* **Costs.** The existing beds and places are paid by fees and by civil-affairs budgets outside the modelled
  sectors, so the status quo books nothing here (its spending indicators stay as they were); the policies book
  what they add (places, beds, subsidies, training).
* **Randomness** comes from a generator derived from the model's seed sequence with a key of its own (without
  advancing ``model.rng``), so adding elderly care changes no other draw of a run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from urbanize.model.services.base import Service, all_rows
from urbanize.model.streams import child_rng

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel

#: Share of elders in poor health, bands 60-69, 70-79, 80+ (2010 census, 16.8 % of persons 60+ in all; the split by
#: band is assumed: 0.56 x 8 % + 0.31 x 22 % + 0.13 x 40 % = 16.5 %).
DEPENDENT_SHARE = np.array([0.08, 0.22, 0.40])
#: Mean months an elder stays in poor health before recovery or death (assumed).
DEPENDENCY_MONTHS = 36.0
#: Elders (or places) one carer staffs: institution beds, day-care beds, home-support places (assumed, near the
#: 1:3-1:5 carer ratios of care homes for dependent elders; day care and home visits serve more per carer).
ELDERS_PER_CARER = {"elder_care_home": 4.0, "elder_day_care": 8.0, "elder_home_support": 15.0}
#: Starting capacity per 1,000 elders: institution beds about 2.66 million for 167 million persons 60+ in 2009
#: (Ministry of Civil Affairs statistical bulletin 2009; NBS); day-care beds and home-support places: assumed,
#: few before the pilots.
START_PER_1000_ELDERS = {"elder_care_home": 15.9, "elder_day_care": 1.0, "elder_home_support": 5.0}
#: Monthly fee of an institution bed for a dependent elder, yuan (assumed, Xi'an and Changshu private homes 2009).
CARE_HOME_FEE = 1000.0
#: Key of the elderly-care generator among the children of the model's seed sequence.
_RNG_KEY = 60_601


class _ElderService(Service):
    """An elderly-care service: allocation draws from the elderly-care generator."""

    sector = "community"
    care: ElderlyCare

    @property
    def rng(self) -> np.random.Generator:
        return self.care.rng


class HomeSupport(_ElderService):
    """Community home-based support places (per district): elders 70+ of households without a working-age adult."""

    name = "elder_home_support"
    unit = "elders served"

    def need_all(self) -> np.ndarray:
        pop = self.model.pop
        m = pop.members
        need = np.zeros(pop.n, dtype=np.int16)
        rows = (pop.adults == 0).nonzero()[0]  # only these rows need anything (about 4 % of them)
        need[rows] = m[0, 9, rows] + m[1, 9, rows] + m[0, 10, rows] + m[1, 10, rows]  # persons 70+
        return need


class DayCare(_ElderService):
    """Day-care beds (per district): dependent elders living with a working-age adult."""

    name = "elder_day_care"
    unit = "beds"

    def need_all(self) -> np.ndarray:
        pop = self.model.pop
        # a product with the mask in 16 bits: the values of np.where(adults > 0, frail, 0), four times faster
        return np.multiply(pop.frail_elders, pop.adults > 0, dtype=np.int16)


class CareHome(_ElderService):
    """Institution beds (city-wide): elders in poor health without a working-age adult at home, whose household
    can pay the fee and seeks a bed (held beds and queued places are kept while both hold)."""

    name = "elder_care_home"
    unit = "beds"
    per_district = False
    sector = "social_security"

    def eligible_rows(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(rows with elders in poor health and no working-age adult at home, those elders, those of them whose
        household can pay the net fee): the few rows where either count is nonzero, in row order."""
        pop, care = self.model.pop, self.care
        rows = ((pop.frail_elders > 0) & (pop.adults == 0)).nonzero()[0]
        frail = pop.frail_elders[rows].astype(np.int64)
        net_fee = max(care.fee - care.fee_subsidy, 0.0)
        affordable = pop.income[rows].astype(np.float64) * care.fee_income_share >= net_fee * frail
        return rows, frail, np.where(affordable, frail, 0)

    def eligible(self) -> tuple[np.ndarray, np.ndarray]:
        """(elders in poor health without a working-age adult at home, those of them whose household can pay the
        net fee), per row (0 elsewhere)."""
        n = self.model.pop.n
        rows, frail_rows, can_pay_rows = self.eligible_rows()
        frail = np.zeros(n, dtype=np.int64)
        frail[rows] = frail_rows
        can_pay = np.zeros(n, dtype=np.int64)
        can_pay[rows] = can_pay_rows
        return frail, can_pay

    def need_all(self) -> np.ndarray:
        need = np.zeros(self.model.pop.n, dtype=np.int16)
        # only households whose elders could have a bed need one (a few hundred rows): elsewhere the need is 0 and
        # no draw is taken, so the stream and the result are those of the rule over every row
        rows, _, eligible = self.eligible_rows()
        sought = self.held[rows].astype(np.int64) + self.waiting[rows]
        more = np.flatnonzero(eligible > sought)
        sought[more] += self.rng.binomial(eligible[more] - sought[more], self.care.seek_rate)
        need[rows] = np.minimum(eligible, sought)
        return need


class ElderlyCare:
    """The three elderly-care services, the dependency process and the carers (``model.services.elderly``).

    Attributes:
        fee, fee_subsidy: institution fee and the operating subsidy per occupied bed that lowers it (yuan/month).
        fee_income_share: largest share of household income a household spends on institution fees;
            ``seek_rate``: monthly chance a household starts seeking a bed for an eligible elder.
        carers: carers employed (real persons); ``hire_rate``: share of carer vacancies filled a month.
    """

    def __init__(self, model: UrbanizationModel) -> None:
        self.model = model
        self.rng = child_rng(model, _RNG_KEY)
        pop = model.pop
        pop.add_column("frail_elders", np.int8, 0, "elders in poor health (unhealthy or dependent)")
        pop.add_column("carer", np.int8, -1, "service the head works for as a trained carer (index), -1 none")
        self.fee = CARE_HOME_FEE
        self.fee_subsidy = 0.0
        self.fee_income_share = 0.8
        self.seek_rate = 0.03  # assumed
        self.subsidy_paid = 0.0  # subsidies to institutions this month (yuan), set by ``elderly_care_subsidy``
        self.hire_rate = 0.05  # assumed
        self.market_carers = np.zeros(3)  # carers hired in the labour market, by service
        self.home_support = HomeSupport(model)
        self.day_care = DayCare(model)
        self.care_home = CareHome(model)
        self.services: list[_ElderService] = [self.home_support, self.day_care, self.care_home]
        for svc in self.services:
            svc.care = self

    # --- set-up --------------------------------------------------------------------------------------------
    def calibrate(self) -> None:
        """Starting dependency, capacity per 1,000 elders (by district where it applies), fully staffed."""
        pop = self.model.pop
        rows = all_rows(pop.n)
        self.draw_dependency(rows)
        elders = np.bincount(pop.district, weights=pop.elders * pop.weight, minlength=len(self.model.profile.districts))
        for s in self.services:
            per = START_PER_1000_ELDERS[s.name] / 1000.0
            s.set_capacity(elders * per if s.per_district else float(elders.sum()) * per)
        self.market_carers = self.carers_needed_by_service()
        self.staff()

    def draw_dependency(self, rows: np.ndarray) -> None:
        """Dependent elders of ``rows`` at the stationary shares of their bands (start, arrivals)."""
        pop = self.model.pop
        m = pop.members
        frail = np.zeros(len(rows), dtype=np.int64)
        for j, share in enumerate(DEPENDENT_SHARE):
            frail += self.rng.binomial(m[:, 8 + j, rows].sum(axis=0).astype(np.int64), share)
        pop.frail_elders[rows] = frail.astype(np.int8)

    # --- monthly ---------------------------------------------------------------------------------------------
    def progress(self) -> None:
        """Dependency starts and ends; deaths of elders clip the count."""
        pop = self.model.pop
        elders_all, frail_all = pop.elders, pop.frail_elders
        # clip in place (the result never exceeds the int8 count it replaces); rows without elders end at 0
        np.minimum(frail_all, elders_all, out=frail_all, casting="unsafe")
        rows = (elders_all > 0).nonzero()[0]
        if rows.size:
            elders = elders_all[rows].astype(np.int64)
            frail = frail_all[rows].astype(np.int64)
            members = pop.members
            # elders by band of the rows only: the same 16-bit sums as over every row, gathered first (take along the
            # rows: several times faster than fancy indexing of the strided (3, n) view, the same values)
            both = members[0, 8:].take(rows, axis=1) + members[1, 8:].take(rows, axis=1)
            m = both.astype(np.float64)  # (3, k)
            hazard = (DEPENDENT_SHARE @ m) / np.maximum(elders, 1) / DEPENDENCY_MONTHS
            onset = self.rng.binomial(elders - frail, np.clip(hazard, 0.0, 1.0))
            sick = np.flatnonzero(frail > 0)
            end = np.zeros_like(frail)
            # drawn only where elders are ill: a binomial with n = 0 is 0 and takes no draw, so the stream is the same
            end[sick] = self.rng.binomial(frail[sick], 1.0 / DEPENDENCY_MONTHS)
            frail_all[rows] = (frail + onset - end).astype(np.int8)

    def carers_needed_by_service(self) -> np.ndarray:
        """Carers the capacity of each service needs (real persons)."""
        return np.array([s.capacity.sum() / ELDERS_PER_CARER[s.name] for s in self.services])

    def carers_needed(self) -> float:
        return float(self.carers_needed_by_service().sum())

    def carers_by_service(self) -> np.ndarray:
        """Carers employed by each service: hired in the market plus trained heads (real persons)."""
        pop = self.model.pop
        rows = np.flatnonzero(pop.carer >= 0)
        trained = np.bincount(pop.carer[rows], weights=pop.weight[rows], minlength=len(self.services))
        return self.market_carers + trained

    @property
    def carers(self) -> float:
        return float(self.carers_by_service().sum())

    def vacancies_by_service(self) -> np.ndarray:
        return np.maximum(self.carers_needed_by_service() - self.carers_by_service(), 0.0)

    def vacancies(self) -> float:
        return float(self.vacancies_by_service().sum())

    def staff(self) -> None:
        """Each service's open capacity is its staffed share; the market fills ``hire_rate`` of its vacancies."""
        self.market_carers = self.market_carers + self.hire_rate * self.vacancies_by_service()
        needed, carers = self.carers_needed_by_service(), self.carers_by_service()
        for s, need, have in zip(self.services, needed, carers, strict=True):
            s.open_capacity = s.capacity * (min(have / need, 1.0) if need > 0 else 1.0)

    def apply(self) -> None:
        """Decision phase: dependency moves, staffing is updated, elders apply where the policies give access."""
        self.progress()
        self.staff()
        rows = all_rows(self.model.pop.n)
        for s in self.services:
            s.apply(np.asarray(self.model.policy_set.service_access(s.name, rows), dtype=bool))

    def allocate(self) -> None:
        for s in self.services:
            s.allocate()

    def on_arrival(self, rows: np.ndarray) -> None:
        self.draw_dependency(rows)

    # --- statistics ----------------------------------------------------------------------------------------
    def units_held(self) -> np.ndarray:
        """Units of the three services each row holds (float64), as :meth:`served` sums them."""
        home, day, institution = (s.held for s in self.services)
        # added as 16-bit counts, converted once: sums of small whole numbers are exact either way
        return (home + day + institution).astype(np.float64)

    def served(self, mask: np.ndarray | None = None) -> float:
        """Elders served by any of the three services (real persons), optionally among rows in ``mask``."""
        pop = self.model.pop
        units = self.units_held()
        w = pop.weight if mask is None else pop.weight * mask
        return float((units * w).sum())

    def queued(self) -> float:
        return float(sum(s.unmet_after for s in self.services))


__all__ = ["DEPENDENT_SHARE", "ElderlyCare"]
