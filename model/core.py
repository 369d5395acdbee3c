"""The urbanization model: a city, its households and its policies, stepped month by month.

``UrbanizationModel.step`` is the schedule of docs/model.md, section 3, and reads like it:

1. policies act on the city;
2. life events;
3. arrivals;
4. awareness spreads;
5. households decide (settle, register, apply for permits, hukou and services, leave);
6. services and the hukou office allocate;
7. the ledger books the month and the indicators are collected.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

import mesa
import numpy as np
import pandas as pd
from mesa.discrete_space import Cell

from urbanize.agents.household import HOUSEHOLD_CLASSES, Household
from urbanize.model import arrivals, calendar, docs_scale, life
from urbanize.model.budget import CityBudget
from urbanize.model.city import CityProfile, load_city
from urbanize.model.datacollection import IndicatorCollector
from urbanize.model.enums import HouseholdType
from urbanize.model.errors import ParameterError
from urbanize.model.household_moves import HouseholdMoves
from urbanize.model.housing import HousingStock
from urbanize.model.hukou_office import HukouOffice
from urbanize.model.indicators import Snapshot, registry
from urbanize.model.labour import LabourMarket
from urbanize.model.ledger import FiscalLedger
from urbanize.model.network import Awareness, SocialNetwork
from urbanize.model.params import BehaviourParams, build
from urbanize.model.policy_set import PolicySet, split_policy_keywords
from urbanize.model.population import Population
from urbanize.model.services import CityServices
from urbanize.model.space import CityGrid
from urbanize.model.splits import SplitCollector
from urbanize.model.synth import starting_population
from urbanize.policies.registry import resolve

AgentsMode = Literal["auto", "all", "lazy"]
AUTO_AGENT_LIMIT = 20_000  # households: above this, Household objects are created on demand
MAX_HOUSEHOLDS = 20_000_000  # about today's largest pilot-city household count (assumed ceiling for one run)
MAX_MONTHS = 1200  # 100 years: beyond any planning horizon the city profiles describe (assumed)
DEFAULT_HOUSEHOLDS = 2000  # a workshop / laptop size: a ten-year run in seconds (shared by the CLI commands)


class UrbanizationModel(mesa.Model, HouseholdMoves):
    """Agent-based model of urbanization and equal access to social services in a Chinese city.

    Args:
        city: one of ``model.city.list_cities()`` (changshu, jinnan, yanta, zhengzhou).
        policies: a package or policy names, e.g. ``"status_quo"``, ``"yanta_pilot"`` or
            ``"rented_residence_hukou,public_rental_housing"`` (always on top of the status quo baseline).
        households: number of household agents (default 2,000); weights make the population real-sized.
        scale: instead of ``households``, the share of real households simulated (1.0: one agent each).
        rng: seed (int), ``numpy.random.SeedSequence`` or ``Generator``; every draw uses it.
        policy_params: per-policy parameters, ``{"rented_residence_hukou": {"contribution_years": 3}}``.
        agents: "auto" creates ``Household`` objects for every household up to 20,000 and on demand above;
            "all" always; "lazy" only on demand (``model.household(uid)``).
        **behaviour: any field of ``model.params.BehaviourParams`` (e.g. ``arrival_rate=0.01``), and policy
            parameters as flat keywords ``policy__param`` or ``"policy.param"`` (e.g.
            ``rented_residence_hukou__contribution_years=3``), the form ``mesa.batch_run`` and SolaraViz
            sweep; the policy must be active. Numpy integers and floats are accepted wherever a number is.
        splits: collect the split table (model/splits.py) every ``splits`` months and at the end of ``run`` (0:
            never, the default); ``model.split_table()`` or ``model.datacollector.get_table_dataframe("splits")``.

    Mesa interface:
        ``model.datacollector`` is a ``mesa.DataCollector`` (:class:`~urbanize.model.datacollection.
        IndicatorCollector`) holding every indicator each month, so ``mesa.batch_run(UrbanizationModel,
        parameters={"households": 500, "arrival_rate": [0.005, 0.01]}, max_steps=12)`` returns the indicators.
        Households are rows of numpy columns (``model.pop``); ``Household`` agents are views on those rows.
        ``model.agents`` holds one agent per household up to 20,000 households (``agents="auto"``); above that,
        and with ``agents="lazy"`` (what sweeps use), it holds only the agents created on demand by
        ``model.household(uid)``, and a loop over ``model.agents`` does not see every household: count and
        aggregate through the indicators or ``model.pop`` instead (docs/mesa.md).

    Example:
        >>> m = UrbanizationModel(city="changshu", policies="status_quo", households=500, rng=7)
        >>> m.run(months=3)
        >>> m.indicators()["residents"].iloc[-1] > 0
        True
    """

    def __init__(
        self,
        city: str = "changshu",
        policies: str | Sequence[str] = "status_quo",
        households: int | None = DEFAULT_HOUSEHOLDS,
        scale: float | None = None,
        rng: Any = None,
        policy_params: Mapping[str, Mapping[str, Any]] | None = None,
        agents: AgentsMode = "auto",
        splits: int = 0,
        **behaviour: Any,
    ) -> None:
        if isinstance(rng, np.random.SeedSequence):
            rng = np.random.default_rng(rng)
        elif isinstance(rng, np.integer):
            rng = int(rng)  # Mesa seeds its stdlib random.Random with it, which refuses numpy integers
        behaviour, policy_params = split_policy_keywords(behaviour, policy_params)
        super().__init__(rng=rng)
        self.profile: CityProfile = load_city(city)
        # the city file's [behaviour] values (calibrated per city) replace the defaults; keywords win over both
        self.behaviour: BehaviourParams = build(BehaviourParams, {**self.profile.behaviour, **behaviour})
        if scale is not None:
            if not 0 < float(scale) <= 1.0:
                raise ParameterError(
                    f"scale = {scale!r} must be in (0, 1]: the share of real households simulated"
                )
            households = None
        elif households is not None:
            if (
                isinstance(households, bool)
                or not float(households).is_integer()
                or not 20 <= int(households) <= MAX_HOUSEHOLDS
            ):
                raise ParameterError(
                    f"households = {households!r} must be a whole number from 20 to {MAX_HOUSEHOLDS:,}"
                )
            households = int(households)
        households, scale = docs_scale.households(households), docs_scale.scale(scale)  # docs examples only
        if agents not in ("auto", "all", "lazy"):
            raise ParameterError(f"agents = {agents!r} must be one of auto, all, lazy")
        if not isinstance(splits, int | np.integer) or isinstance(splits, bool) or not 0 <= splits <= MAX_MONTHS:
            raise ParameterError(f"splits = {splits!r} must be whole months between split tables, 0 (none) to 1200")
        self.city = self.profile.name
        self.policy_set = PolicySet(self, resolve(policies, policy_params))
        self.month = 0
        self.flows: dict[str, float] = defaultdict(float)
        self.cumulative: dict[str, float] = defaultdict(float)
        self.ledger = FiscalLedger()
        self.budget = CityBudget(self)  # revenue, balance; limits nothing unless a policy sets one
        self.hukou = HukouOffice(self)
        self.labour = LabourMarket(self)
        self.type_weight: dict[str, float] = {}
        self.pop = Population()
        self._agents_by_uid: dict[int, Household] = {}
        self._build_map()
        starting_population(self, households, scale)
        self.initial_households = self.pop.n
        self.network = SocialNetwork(self)
        self.network.build(np.arange(self.pop.n))
        topics = [p.awareness_topic for p in self.policy_set if p.awareness_topic]
        self.awareness: Awareness = Awareness(self, [t for t in topics if t])
        self._initial_awareness(np.arange(self.pop.n), {"registration": 0.4, "hukou": 0.3})
        self.services = CityServices(self)
        self.services.setup()
        self.housing = HousingStock(self)
        for policy in self.policy_set:
            policy.setup(self)
        self.housing.build()  # public rental flats as the services (and policies) set them up
        self.hukou.reset_quota()
        self.labour.open()
        life.update_income(self)
        self.services.settle()  # month-0 entitlements that depend on incomes (dibao)
        self._agents_mode = agents
        self._eager_agents = agents == "all" or (agents == "auto" and self.pop.n <= AUTO_AGENT_LIMIT)
        if self._eager_agents:
            self._create_agents(np.arange(self.pop.n))
        for cls, rows in zip(HOUSEHOLD_CLASSES, self.rows_by_type(), strict=True):
            cls.decide_settlement(self, rows)  # the starting intentions, so month 0 reports them
            cls.decide_hukou_willingness(self, rows)
        self.datacollector = IndicatorCollector(registry(self.policy_set.names))
        self.split_collector = SplitCollector(int(splits))
        self.datacollector.table_providers["splits"] = self.split_collector.frame  # get_table_dataframe("splits")
        self.collect()

    # --- construction helpers ------------------------------------------------------------------------------
    def _build_map(self) -> None:
        """The city map: a grid whose cells carry their district (a Mesa property layer)."""
        p = self.profile
        # a Cell class of our own: Mesa attaches property-layer accessors to the cell class
        cell_class = type("CityCell", (Cell,), {"_mesa_properties": set()})
        self.grid = CityGrid(  # its cells list the household agents, for Mesa's space views (model/space.py)
            self, (p.width, p.height), torus=False, random=self.random, cell_klass=cell_class
        )
        district = np.full((p.width, p.height), -1, dtype=np.int64)
        for d in p.districts:
            for x, y in d.cells:
                district[x, y] = d.index
        layer = self.grid.create_property_layer("district", default_value=-1, dtype=int)
        layer.data = district
        self.grid.create_property_layer("residents", default_value=0.0, dtype=float)
        self.districts = p.districts
        self.district_is_urban = np.array([d.kind.urban for d in p.districts])

    # --- the schedule ----------------------------------------------------------------------------------------
    def step(self) -> None:
        """One month (docs/model.md, section 3)."""
        self.month += 1
        self.flows = defaultdict(float)
        self.act_policies()
        self.life_events()
        self.arrive()
        self.spread_awareness()
        self.decide()
        self.allocate()
        self.book_and_collect()

    def act_policies(self) -> None:
        """Phase 1: quotas reset in January; each policy acts; housing is built.

        The hukou quota is annual, per calendar year (quotas are set per year; assumed to open in January): it is
        set at construction (month 0, January 2009) and again in months 12, 24, ... (each January, by
        ``model.calendar``). It reset in months 1, 13, ... before: February, and twice in the first year."""
        if calendar.date_of(self.month).month == 1:
            self.hukou.reset_quota()
        for policy in self.policy_set:
            policy.act(self)
        self.housing.build()

    def life_events(self) -> None:
        """Phase 2: ageing, births, deaths, new households, jobs, hardship shocks, land requisition."""
        life.age(self)
        life.births(self)
        dissolved = life.deaths(self)
        self.depart(dissolved)
        self.on_formation(*life.form_households(self))
        life.jobs(self)
        life.shocks(self)
        life.land_requisition(self)

    def arrive(self) -> None:
        """Phase 3: new migrant households arrive (Harris-Todaro, chain migration)."""
        arrivals.arrive(self)

    def spread_awareness(self) -> None:
        """Phase 4: awareness spreads through ties, media and outreach."""
        self.awareness.spread()

    def decide(self) -> None:
        """Phase 5: each household type decides; then households apply for services; some leave."""
        rows_by_type = self.rows_by_type()
        for cls, rows in zip(HOUSEHOLD_CLASSES, rows_by_type, strict=True):
            cls.decide_settlement(self, rows)
            cls.decide_registration(self, rows)
            cls.decide_hukou_conversion(self, rows)
        self.services.apply()
        leaving = np.concatenate(
            [
                cls.decide_departure(self, rows)
                for cls, rows in zip(HOUSEHOLD_CLASSES, rows_by_type, strict=True)
            ]
        )
        self.depart(leaving)

    def allocate(self) -> None:
        """Phase 6: the hukou office and the services allocate."""
        self.hukou.grant()
        self.services.allocate()

    def book_and_collect(self) -> None:
        """Phase 7: book the month's costs; collect the indicators."""
        self.services.book()
        self.ledger.close_month()
        self.budget.close_month()
        self.collect()

    # --- helpers of the schedule ---------------------------------------------------------------------------
    def rows_by_type(self) -> list[np.ndarray]:
        htype = self.pop.htype
        # plain ints: numpy compares the int8 column with an IntEnum member ten times slower
        return [np.flatnonzero(htype == int(t)) for t in HouseholdType]

    # --- questions -----------------------------------------------------------------------------------------
    def registration_benefit(self) -> float:
        """What registering unlocks under the active policies (0 under the status quo)."""
        return self.policy_set.registration_incentive()

    def access_index(self, rows: np.ndarray) -> np.ndarray:
        """Each household's access to services, 0-1."""
        return self.services.access_index(rows)

    def migrant_access(self) -> float:
        """Weighted mean access of households without local hukou."""
        pop = self.pop
        rows = np.flatnonzero(~pop.hukou_local)
        if rows.size == 0:
            return 0.0
        w = pop.weight[rows]
        return float((self.access_index(rows) * w).sum() / w.sum())

    def household(self, uid: int) -> Household:
        """The ``Household`` agent of ``uid`` (created on first use above workshop sizes).

        Raises:
            StaleHousehold: if the household has left or died out.
        """
        row = self.pop.row_of(uid)
        agent = self._agents_by_uid.get(uid)
        if agent is None:
            agent = HOUSEHOLD_CLASSES[int(self.pop.htype[row])](self, uid)
            self._agents_by_uid[uid] = agent
        return agent

    # --- running and results ---------------------------------------------------------------------------------
    def collect(self) -> None:
        """Compute every registered indicator for the current month (into ``self.datacollector``)."""
        snap = Snapshot(self)
        self.datacollector.collect(self, snap)
        if self.split_collector.due(self.month):
            self.split_collector.collect(self)
        w, h = self.profile.width, self.profile.height
        cell = self.pop.cell_x.astype(np.int64) * h + self.pop.cell_y
        counts = np.bincount(cell, weights=snap.pw, minlength=w * h).reshape(w, h)
        self.grid.residents.data = counts  # type: ignore[attr-defined]

    def run(self, months: int, progress: Callable[[int], None] | None = None) -> UrbanizationModel:
        """Advance ``months`` months (``progress(month)`` is called after each)."""
        if isinstance(months, bool) or int(months) != months or months < 0:
            raise ParameterError(f"months = {months!r} must be a non-negative whole number")
        for _ in range(docs_scale.months(int(months))):
            self.step()
            if progress is not None:
                progress(self.month)
        for policy in self.policy_set:
            policy.finalize(self)
        self.split_collector.finish(self)  # the split table holds the run's last month too
        return self

    def indicators(self) -> pd.DataFrame:
        """One row per month (row 0: the initial state, January 2009), one column per indicator; ``date`` is the
        first day of each month (``model.calendar``).

        The table of ``self.datacollector.get_model_vars_dataframe()`` with ``month`` as an integer and ``date``.
        """
        df = pd.DataFrame(self.datacollector.model_vars)
        df["month"] = df["month"].astype(int)
        df.insert(1, "date", calendar.dates(df["month"]).to_numpy())
        return df

    def split_table(self) -> pd.DataFrame:
        """The split table (model/splits.py): access, coverage and recipient indicators by group, sex and age
        band, one row per month collected (every ``splits`` months; empty with ``splits=0``)."""
        return self.split_collector.frame()

    def parameters(self) -> dict[str, Any]:
        """Every parameter of this run (for manifests)."""
        from dataclasses import asdict

        return {
            "city": self.city,
            "policies": self.policy_set.names,
            "households": int(self.initial_households),
            "behaviour": asdict(self.behaviour),
            "policy_params": {p.name: asdict(p.params) for p in self.policy_set},
        }
