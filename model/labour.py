"""The labour market and the origin (docs/model.md, "Submodels: labour market and arrivals").

Jobs. The city starts with as many jobs as working-age heads in its labour force (the city file's employment
rate then says how many of them hold one), and its jobs grow at the city's ``job_growth`` a year (city file
``[economy]``). Heads find jobs only as far as there are vacancies (jobs not held), so when more
heads seek work than there are jobs, unemployment rises; with crowding ``c = labour force / jobs``, wages are
also scaled by ``c ** -wage_crowding`` and the chance of finding a job by ``c ** -job_crowding``. This is what bounds a city: arrivals raise ``c``, which lowers the expected urban income
that draws them (Harris and Todaro 1970) and raises unemployment, which sends households home.

Wages. Formal and informal wages grow at ``wage_growth`` a year and origin income at ``origin_income_growth``.
Workers without local hukou earn ``1 - hukou_wage_penalty`` of a local worker's wage for the same job and skill
(the unexplained part of the migrant-local wage gap in decompositions such as Demurger, Gurgand, Li and Yue
2009, J. Comparative Economics 37(4): 610-628; the size is assumed within the range such studies report).

Expected urban income of a migrant: the mean wage that employed migrants earn here times the chance of having a
job; its ratio to origin income drives arrivals (``model.arrivals``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from urbanize.model.enums import HouseholdType, Job, Registration

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel

#: wage multiplier by skill (low, mid, high); assumed
SKILL_WAGE = np.array([0.85, 1.0, 1.4])


class LabourMarket:
    def __init__(self, model: UrbanizationModel) -> None:
        self.model = model
        econ = model.profile.economy
        self.wage_formal0 = econ["wage_formal"]
        self.wage_informal0 = econ["wage_informal"]
        self.origin_income0 = econ["origin_income"]
        self.job_growth = float(econ.get("job_growth", 0.03))
        self.jobs0 = 0.0  # set by ``open`` once the starting population exists
        self._cache: tuple[int, int, float] = (-1, -1, 0.0)  # (month, rows, labour force)

    def open(self) -> None:
        """The starting jobs: one per working-age head in the labour force (crowding 1 at month 0)."""
        self._cache = (-1, -1, 0.0)
        self.jobs0 = max(self.labour_force(), 1e-9)

    def _growth(self, annual: float) -> float:
        return float((1.0 + annual) ** (self.model.month / 12.0))

    # --- quantities ---------------------------------------------------------------------------------------
    def in_labour_force(self) -> np.ndarray:
        """Heads who seek urban jobs: working age, except local farmers who still farm their land."""
        pop = self.model.pop
        # plain ints: numpy compares an array with an IntEnum member some twenty times slower
        farming = (pop.reg == int(Registration.LOCAL_RURAL_HUKOU)) & pop.land
        return (pop.head_age < 60) & ~farming

    def labour_force(self, in_force: np.ndarray | None = None) -> float:
        """Real heads in the labour force (computed once a month; ``in_force``: the labour-force mask when the
        caller has it already)."""
        month, n = self.model.month, self.model.pop.n
        if self._cache[:2] != (month, n):
            pop = self.model.pop
            # compress: the same rows, in order, as a boolean index, several times faster on a scattered mask
            lf = float(pop.weight.compress(self.in_labour_force() if in_force is None else in_force).sum())
            self._cache = (month, n, lf)
        return self._cache[2]

    def jobs(self) -> float:
        return self.jobs0 * self._growth(self.job_growth)

    def crowding(self, in_force: np.ndarray | None = None) -> float:
        """Labour force over jobs (1 at the start; above 1 the market is crowded); ``in_force`` as for
        :meth:`labour_force`."""
        if self.jobs0 <= 0:
            return 1.0
        return max(self.labour_force(in_force) / self.jobs(), 1e-6)

    def wages(self) -> np.ndarray:
        """Local workers' wages indexed by ``Job`` (none, informal, formal), yuan per worker-month."""
        b = self.model.behaviour
        g = self._growth(b.wage_growth) * self.crowding() ** -b.wage_crowding
        return np.array([0.0, self.wage_informal0 * g, self.wage_formal0 * g])

    def hukou_factor(self, hukou_local: np.ndarray) -> np.ndarray:
        """Wage factor by hukou: 1 for local hukou, ``1 - hukou_wage_penalty`` without it."""
        return np.array([1.0 - self.model.behaviour.hukou_wage_penalty, 1.0])[hukou_local.view(np.int8)]

    def vacancies(self, in_force: np.ndarray | None = None) -> float:
        """Jobs not held by employed heads of the labour force (real jobs); ``in_force``: the labour-force mask
        when the caller has it already."""
        pop = self.model.pop
        # int: see in_labour_force
        employed = (self.in_labour_force() if in_force is None else in_force) & (pop.job != int(Job.NONE))
        # compress: see labour_force
        return max(self.jobs() - float(pop.weight.compress(employed).sum()), 0.0)

    def hiring_factor(self, seeking: np.ndarray, chance: np.ndarray) -> float:
        """Scale of every seeker's job-finding chance this month: 1 while the expected hires fit in the vacancies,
        else vacancies over expected hires (a job is filled once). ``seeking`` are the rows (increasing) of the
        heads looking for work and ``chance`` their unconstrained monthly chances, one per row of ``seeking``.

        Crowding also weighs on the chance (``crowding ** -job_crowding``), as more seekers compete for each
        opening even before jobs run out."""
        pop = self.model.pop
        in_force = self.in_labour_force()
        look = in_force[seeking]
        # the seekers in the labour force in row order: the same products, summed in the same order, as over a mask
        expected = float((pop.weight[seeking[look]] * chance[look]).sum())
        factor = self.crowding(in_force) ** -self.model.behaviour.job_crowding
        if expected * factor <= 0:
            return factor
        return min(factor, self.vacancies(in_force) / expected)

    def origin_income(self) -> float:
        return self.origin_income0 * self._growth(self.model.behaviour.origin_income_growth)

    def unemployment(self, htype: HouseholdType | None = None) -> float:
        """Weighted share of working-age heads without a job (of one type, or all)."""
        pop = self.model.pop
        mask = pop.head_age < 60
        if htype is not None:
            mask &= pop.htype == htype
        w = pop.weight[mask]
        return float((w * (pop.job[mask] == int(Job.NONE))).sum() / max(w.sum(), 1e-12))

    def expected_urban_income(self) -> float:
        """A migrant's expected income here: the mean wage employed migrants earn (job, skill, hukou penalty)
        times the chance of having a job."""
        pop = self.model.pop
        mig = (~pop.hukou_local) & (pop.head_age < 60)
        # the employed migrants' rows once (the same values, in the same order, as compressing twice)
        employed = np.flatnonzero(mig & (pop.job != int(Job.NONE)))  # int: see in_labour_force
        if employed.size == 0:
            return 0.0
        # one lookup in a table of wage x skill factor by job and skill: each entry the same product as the two
        # lookups and the multiply over the rows it replaces
        table = self.wages()[:, None] * SKILL_WAGE[None, :]
        code = pop.job[employed] * np.int8(SKILL_WAGE.size)
        code += pop.skill[employed]
        earned = np.take(table.ravel(), code)  # np.take: the same values, twice as fast with int8 codes
        earned = earned * (1.0 - self.model.behaviour.hukou_wage_penalty)
        w_employed = pop.weight[employed]
        employed_sum = w_employed.sum()
        mean_wage = float((w_employed * earned).sum() / employed_sum)
        # compress: see labour_force
        employment = float(employed_sum / max(pop.weight.compress(mig).sum(), 1e-12))
        return mean_wage * employment

    def income_ratio(self) -> float:
        """Expected urban income over origin income (the Harris-Todaro gap as a ratio)."""
        return self.expected_urban_income() / max(self.origin_income(), 1e-9)
