"""The city's services (DESIGN.md section 2): what each household needs, who may use it, what it costs.

Capacity-limited services (``model.services.Service``), in allocation order:

* ``primary_school``, ``junior_school``: public seats by level per district. Hukou holders' children are
  *guaranteed* a seat (the district must enrol them, up to the physical limit ``max_class_size`` per class);
  others are admitted only into planned seats (``class_size_norm`` per class). Class size is pupils / classes.
* ``private_migrant_school``: fee-paying migrant schools for compulsory-age children without a public seat.
* ``child_health``: health-care profiles (and immunisation) of children 0-36 months.
* ``maternal_health``: health-care profiles of pregnant women (a ``pregnant`` column, months left).
* ``community_centre``: places in community service centres (households served), per district.
* ``public_rental``: public rental flats; renters in need queue for them.
* ``training``: vocational training places (city-wide), courses of ``training_course_months``.

Entitlements (``model.services.Entitlement``): ``dibao`` (urban minimum living standard; local farmers
without urban access get rural dibao at the rural line), ``hardship_aid`` (one-off aid after a shock),
``pension`` (urban employee / urban-rural resident / new rural) and ``medical_insurance`` (urban employee /
urban resident / new rural cooperative).

Every service asks the policies who may use it (``model.policy_set.service_access``), so a policy such as
``linked_registration`` opens services to registered migrants without touching this module. Starting
capacities come from the ``[services]`` section of each city file (``model/cities/<city>.toml``), figures there
cite their source or say "assumed"; :data:`DEFAULTS` holds the fallbacks. Unit costs are yuan in 2009 prices,
with their source in ``COSTS``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from urbanize.model.enums import DistrictKind, HouseholdType, Job, Residence, Skill
from urbanize.model.population import set_bit
from urbanize.model.services import Entitlement, Service, ServiceSet, all_rows

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel

#: Services whose access is asked of the policies; the first eleven make up the access index.
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
)

#: Fallback calibration (each city file's ``[services]`` section overrides these; see the city files).
DEFAULTS: dict[str, Any] = {
    "class_size_norm_primary": 45.0,  # assumed: MOE urban primary norm of 40-45 pupils per class
    "class_size_norm_junior": 50.0,  # assumed: junior middle norm of 45-50
    "max_class_size": 100.0,  # assumed physical limit; Zhengzhou 2003-04 reported classes above 90
    "class_size_start_primary": 42.0,  # assumed
    "class_size_start_junior": 46.0,  # assumed
    "migrant_enrolment_start": 0.95,  # assumed share of migrant compulsory-age children in school
    "migrant_public_share_start": 0.7,  # assumed share of enrolled migrant children in public schools
    "private_school_slack": 0.05,  # assumed spare private seats
    "child_health_coverage_local": 0.9,  # assumed
    "child_health_coverage_migrant": 0.15,  # assumed ("not implemented well", seed ch.2 V.2)
    "maternal_health_coverage_local": 0.9,  # assumed
    "maternal_health_coverage_migrant": 0.15,  # assumed
    "health_slack": 0.05,  # assumed spare profile capacity
    "community_centre_share": {  # places as a share of the district's households, by district kind (assumed)
        "urban_core": 0.6,
        "urban_village": 0.15,
        "new_town": 0.3,
        "industrial_park": 0.2,
        "rural_township": 0.2,
    },
    "public_rental_slack": 0.02,  # assumed spare flats
    "training_places_per_1000_heads": 3.0,  # assumed training places per 1,000 working-age heads
    "dibao_line_urban": 400.0,  # yuan/person-month, assumed near 2009 municipal lines (300-450)
    "dibao_line_rural": 200.0,  # yuan/person-month, assumed
}

#: Unit costs, yuan in 2009 prices, and their sources.
COSTS: dict[str, tuple[float, str]] = {
    "primary_school": (
        3357.92 / 12,
        "2009 national budgetary education expenditure per primary pupil, 3,357.92 yuan/year "
        "(MOE/NBS/MOF statistical announcement on education funding 2009)",
    ),
    "junior_school": (
        4331.62 / 12,
        "2009 national budgetary expenditure per junior middle pupil, 4,331.62 yuan/year (same source)",
    ),
    "school_fee_nonlocal": (1000.0 / 12, "assumed 'borrowing fee' paid by non-hukou pupils, 1,000 yuan/year"),
    "private_migrant_school": (0.0, "fee-funded; the city pays nothing unless a policy subsidises it"),
    "child_health": (20.0, "assumed: child health management and immunisation visits per child-month"),
    "immunisation_per_child_month": (0.6, "assumed doses per child-month 0-36 months (EPI schedule)"),
    "maternal_health": (60.0, "assumed: about five prenatal visits and tests over nine months"),
    "community_centre": (10.0, "assumed running cost per household served per month"),
    "public_rental": (300.0, "assumed rent subsidy per flat-month (market minus public rent, about 50 m2)"),
    "training": (200.0, "assumed: 600 yuan per three-month course (Sunshine Project subsidies 300-800)"),
    "hardship_aid": (2000.0, "assumed one-off amount per household"),
    "pension_contribution_subsidy": (
        2.5,
        "30 yuan/person-year minimum contribution subsidy (State Council Guo Fa [2009] 32)",
    ),
    "pension_basic_new_rural": (55.0, "basic pension per elder-month (Guo Fa [2009] 32), paid centrally"),
    "pension_basic_urban_resident": (120.0, "assumed local basic pension per elder-month"),
    "medical_subsidy": (
        80.0 / 12,
        "2009 government subsidy 80 yuan/person-year (NCMS and urban resident BMI)",
    ),
}

PENSION_NONE, PENSION_EMPLOYEE, PENSION_RESIDENT, PENSION_NEW_RURAL = 0, 1, 2, 3
INSURANCE_NONE, INSURANCE_EMPLOYEE, INSURANCE_RESIDENT, INSURANCE_NCMS = 0, 1, 2, 3


def _config(model: UrbanizationModel) -> dict[str, Any]:
    raw = dict(model.profile.raw.get("services", {}))
    cfg = {**DEFAULTS, **{k: v for k, v in raw.items() if k != "note"}}
    share = dict(DEFAULTS["community_centre_share"])
    share.update(raw.get("community_centre_share", {}))
    cfg["community_centre_share"] = share
    return cfg


def sample(rng: np.random.Generator, rows: np.ndarray, p: float) -> np.ndarray:
    """Each of ``rows`` independently with chance ``p`` (a binomial count, then distinct rows; cheaper than a
    uniform draw per row when ``p`` is small)."""
    if rows.size == 0 or p <= 0:
        return rows[:0]
    if p >= 1:
        return rows
    k = int(rng.binomial(rows.size, p))
    return rows[rng.choice(rows.size, size=k, replace=False)] if k else rows[:0]


def draw(rng: np.random.Generator, rows: np.ndarray, chance: np.ndarray) -> np.ndarray:
    """Each of ``rows`` independently with its own ``chance`` (few distinct values): rows sharing a chance are
    sampled together (:func:`sample`), much cheaper than a uniform draw per row when chances are small."""
    picked = []
    rest = np.ones(rows.size, dtype=bool)
    while rest.any():
        value = chance[np.argmax(rest)]
        same = rest & (chance == value)
        picked.append(sample(rng, rows[same], float(value)))
        rest &= ~same
        if len(picked) > 8:  # many distinct chances: a uniform draw each
            picked.append(rows[rest][rng.random(int(rest.sum())) < chance[rest]])
            break
    return np.sort(np.concatenate(picked)) if picked else rows[:0]


def income_per_person(model: UrbanizationModel, rows: np.ndarray) -> np.ndarray:
    pop = model.pop
    persons = (
        pop.adults[rows]
        + pop.elders[rows]
        + pop.kids_0_2[rows]
        + pop.kids_3_5[rows]
        + pop.kids_6_11[rows]
        + pop.kids_12_14[rows]
        + pop.kids_15_17[rows]
    )
    return pop.income[rows] / np.maximum(persons, 1)


# --- capacity-limited services ----------------------------------------------------------------------------
class PublicSchool(Service):
    """Public school seats of one level, per district, counted in classes.

    Hard capacity is ``classes x max_class_size`` (physical limit); open capacity is ``classes x norm``.
    Hukou holders' children are guaranteed a seat (compulsory enrolment of the district's registered children),
    so lowering the hukou threshold without building classes overloads them (the Zhengzhou 2003 reform).
    """

    sector = "education"
    unit = "seats"
    kids_col = "kids_6_11"

    def __init__(self, model: UrbanizationModel, norm: float, max_class: float) -> None:
        super().__init__(model)
        self.norm = float(norm)
        self.max_class = float(max(max_class, norm))
        self.classes = np.zeros(self.capacity.size)
        self.unit_cost = COSTS[self.name][0]
        self.fee_nonlocal = COSTS["school_fee_nonlocal"][0]
        self.nonlocal_pupils = 0.0  # real non-hukou pupils after this month's allocation

    def set_classes(self, classes: np.ndarray) -> None:
        self.classes = np.maximum(np.asarray(classes, dtype=float), 0.0)
        self.capacity = self.classes * self.max_class
        self.open_capacity = self.classes * self.norm

    def add_classes(self, extra: np.ndarray | float) -> None:
        """Build classes (each adds ``norm`` planned seats and ``max_class_size`` hard seats)."""
        self.set_classes(self.classes + np.maximum(np.asarray(extra, dtype=float), 0.0))

    def add_capacity(self, extra: np.ndarray | float, open_extra: np.ndarray | float | None = None) -> None:
        """Add ``extra`` planned seats (as classes at the norm)."""
        self.add_classes(np.asarray(extra, dtype=float) / self.norm)

    def set_capacity(self, capacity: np.ndarray | float, open_share: float = 1.0) -> None:
        """Set the hard capacity (classes = capacity / max class size); planned seats follow the norm."""
        cap = np.broadcast_to(np.asarray(capacity, dtype=float), self.capacity.shape)
        self.set_classes(cap / self.max_class)

    def need_all(self) -> np.ndarray:
        return self.model.pop.col(self.kids_col)

    def guaranteed(self, rows: np.ndarray) -> np.ndarray:
        return self.model.pop.hukou_local[rows]

    def used(self) -> np.ndarray:
        pop = self.model.pop
        h = self.held
        rows = np.flatnonzero(h > 0)
        hw = h[rows] * pop.weight[rows]
        self.nonlocal_pupils = float(hw[~pop.hukou_local[rows]].sum())
        return np.bincount(self.groups(rows), weights=hw, minlength=self.capacity.size).astype(float)

    def on_admit(self, rows: np.ndarray, units: np.ndarray) -> None:
        pop = self.model.pop
        nl = ~pop.hukou_local[rows]
        self.nonlocal_pupils += float((units[nl].astype(float) * pop.weight[rows[nl]]).sum())

    def cost(self) -> float:
        """Per-pupil expenditure for every public pupil, less the fees non-hukou pupils pay."""
        total = float(self.used_after.sum())
        return max(self.unit_cost * total - self.fee_nonlocal * self.nonlocal_pupils, 0.0)


class PrimarySchool(PublicSchool):
    name = "primary_school"
    kids_col = "kids_6_11"
    cost_source = COSTS["primary_school"][1]


class JuniorSchool(PublicSchool):
    name = "junior_school"
    kids_col = "kids_12_14"
    cost_source = COSTS["junior_school"][1]


class PrivateMigrantSchool(Service):
    """Private schools for migrant children: compulsory-age children without a public seat may enrol."""

    name = "private_migrant_school"
    sector = "education"
    unit = "seats"
    cost_source = COSTS["private_migrant_school"][1]

    def __init__(self, model: UrbanizationModel) -> None:
        super().__init__(model)
        self.subsidy = 0.0  # yuan per pupil-month paid by the city (``migrant_education`` sets it)

    def need_all(self) -> np.ndarray:
        pop = self.model.pop
        return np.maximum(
            pop.kids_6_11 + pop.kids_12_14 - pop.col("use_primary_school") - pop.col("use_junior_school"), 0
        )

    def reconcile(self) -> None:
        """Release private seats of children who just got a public seat; shorten their queue."""
        need = self.need_all()
        held, wait = self.held, self.waiting
        over = np.flatnonzero(held > need)
        if over.size:
            held[over] = need[over]
        w = np.flatnonzero(wait > 0)
        left = np.minimum(wait[w], need[w] - held[w])
        wait[w] = left
        self.waiting_months[w[left == 0]] = 0

    def cost(self) -> float:
        return self.subsidy * float(self.used_after.sum()) if self.subsidy > 0 else 0.0


class ChildHealth(Service):
    """Health-care profiles (with immunisation) of children aged 0-36 months, per district clinic capacity."""

    name = "child_health"
    sector = "health"
    unit = "profiles"
    default_unit_cost = COSTS["child_health"][0]
    cost_source = COSTS["child_health"][1]

    def need_all(self) -> np.ndarray:
        return self.model.pop.kids_0_2


class MaternalHealth(Service):
    """Health-care profiles of pregnant women (antenatal care), per district capacity."""

    name = "maternal_health"
    sector = "health"
    unit = "profiles"
    default_unit_cost = COSTS["maternal_health"][0]
    cost_source = COSTS["maternal_health"][1]

    def need_all(self) -> np.ndarray:
        return (self.model.pop.pregnant > 0).astype(np.int16)


class CommunityCentre(Service):
    """Places in community service centres (households served), per district."""

    name = "community_centre"
    sector = "community"
    unit = "households served"
    default_unit_cost = COSTS["community_centre"][0]
    cost_source = COSTS["community_centre"][1]

    def need_all(self) -> np.ndarray:
        """Households that use community services: with young children or elders."""
        pop = self.model.pop
        users = (pop.kids_0_2 > 0) | (pop.kids_3_5 > 0) | (pop.elders > 0)
        return users.astype(np.int16)


class PublicRental(Service):
    """Public rental flats, per district. Renting households queue; an admitted household moves in."""

    name = "public_rental"
    sector = "housing"
    unit = "flats"
    default_unit_cost = COSTS["public_rental"][0]
    cost_source = COSTS["public_rental"][1]

    income_line = 1200.0  # yuan/adult-month: renters below it would gain from a subsidised flat (assumed)
    graduates_need = (
        False  # recent graduates (head under 27) renting also want a flat (public_rental_housing)
    )

    def need_all(self) -> np.ndarray:
        pop = self.model.pop
        res = pop.residence
        renting = res < Residence.PUBLIC_RENTAL
        want = pop.income < self.income_line * pop.adults
        if self.graduates_need:
            want |= pop.graduate & (pop.head_age < 27)
        return ((renting & want) | (res == Residence.PUBLIC_RENTAL)).astype(np.int16)

    def on_admit(self, rows: np.ndarray, units: np.ndarray) -> None:
        pop = self.model.pop
        pop.residence[rows] = Residence.PUBLIC_RENTAL
        pop.residence_months[rows] = 0


class Training(Service):
    """Vocational training places (city-wide). A course lasts ``course_months``; completing it raises the
    head's skill one level with chance ``success`` (higher skill finds jobs faster and more often formal,
    ``model.life.jobs``)."""

    name = "training"
    sector = "training"
    unit = "places"
    per_district = False
    default_unit_cost = COSTS["training"][0]
    cost_source = COSTS["training"][1]

    def __init__(self, model: UrbanizationModel) -> None:
        super().__init__(model)
        pop = model.pop
        pop.add_column("training_left", np.int8, 0, "months left of the current training course")
        pop.add_column("trained_month", np.int16, -1000, "model month the head last completed training")
        self.course_months = 3
        self.success = 0.8  # assumed share of courses that raise skill a level
        self.interest = 0.01  # assumed monthly chance an eligible head seeks training
        self.interest_unemployed = 0.04  # assumed, unemployed heads
        self.interest_boost = 1.0  # multiplier set by policies (coupons, employment services)
        self.completed = 0.0  # real heads completing a course this month
        self._interested = np.zeros(0, dtype=bool)

    def progress(self) -> None:
        """Courses advance a month; finished ones raise skill."""
        pop, model = self.model.pop, self.model
        held = self.held
        rows = np.flatnonzero(held > 0)
        self.completed = 0.0
        if rows.size == 0:
            return
        left = pop.training_left[rows] - 1
        pop.training_left[rows] = np.maximum(left, 0)
        done = rows[left <= 0]
        if done.size == 0:
            return
        held[done] = 0
        pop.trained_month[done] = model.month
        up = done[model.rng.random(done.size) < self.success]
        pop.skill[up] = np.minimum(pop.skill[up] + 1, int(Skill.HIGH))
        self.completed = float(pop.weight[done].sum())

    def draw_interest(self) -> None:
        pop, model = self.model.pop, self.model
        cand = np.flatnonzero(
            (pop.head_age < 50) & (pop.skill < Skill.HIGH) & (pop.trained_month < model.month - 24)
        )
        self._interested = np.zeros(pop.n, dtype=bool)
        unemployed = pop.job[cand] == Job.NONE
        for group, p in ((cand[unemployed], self.interest_unemployed), (cand[~unemployed], self.interest)):
            self._interested[sample(model.rng, group, min(p * self.interest_boost, 1.0))] = True

    def need_all(self) -> np.ndarray:
        pop = self.model.pop
        interested = self._interested if self._interested.size == pop.n else np.zeros(pop.n, dtype=bool)
        return ((self.held > 0) | (self.waiting > 0) | interested).astype(np.int16)

    def on_admit(self, rows: np.ndarray, units: np.ndarray) -> None:
        self.model.pop.training_left[rows] = self.course_months


# --- entitlements ---------------------------------------------------------------------------------------
class Dibao(Entitlement):
    """Minimum living standard guarantee: a top-up to the line for households below it.

    Households with access (``service_access("dibao")``) get urban dibao at the urban line; local rural-hukou
    households without urban access get rural dibao at the rural line. An eligible household takes it up with
    monthly chance ``take_up`` and keeps it while eligible.
    """

    name = "dibao"
    sector = "social_assistance"
    cost_source = (
        "top-up to the city's dibao line (lines in the city file, assumed near 2009 municipal lines)"
    )

    def __init__(self, model: UrbanizationModel, line_urban: float, line_rural: float) -> None:
        super().__init__(model)
        model.pop.add_column("dibao", np.int8, 0, "receives dibao: 0 no, 1 urban, 2 rural")
        model.pop.add_column("dibao_amount", np.float32, 0.0, "dibao top-up, yuan/month")
        self.line_urban = float(line_urban)
        self.line_rural = float(line_rural)
        self.take_up = 0.5  # assumed monthly take-up among the newly eligible

    def apply(self, access: np.ndarray) -> None:
        pop, model = self.model.pop, self.model
        receiving = pop.dibao
        persons_all = pop.persons()
        ipp_all = pop.income / np.maximum(persons_all, 1)
        cand = np.flatnonzero((ipp_all < max(self.line_urban, self.line_rural)) | (receiving > 0))
        persons = persons_all[cand]
        ipp = ipp_all[cand]
        acc = access[cand] > 0
        rural_local = pop.hukou_local[cand] & ~pop.hukou_urban[cand] & ~acc
        line = np.where(acc, self.line_urban, np.where(rural_local, self.line_rural, 0.0))
        eligible = ipp < line
        was = receiving[cand] > 0
        new = eligible & ~was & (model.rng.random(cand.size) < self.take_up)
        now = eligible & (was | new)
        receiving[cand] = np.where(now, np.where(acc, 1, 2), 0)
        pop.dibao_amount[cand] = np.where(now, (line - ipp) * persons, 0.0)
        self.recipients = float(pop.weight[cand[now]].sum())

    def cost(self) -> float:
        pop = self.model.pop
        rows = np.flatnonzero(pop.dibao > 0)
        return float((pop.dibao_amount[rows] * pop.weight[rows]).sum())


class HardshipAid(Entitlement):
    """One-off aid to households hit by a hardship shock this month whose income falls below twice the urban
    dibao line, where the policies give access (seed ch.2 III: "one-off assistance to migrants in serious
    family difficulties such as disease, disaster and accidents")."""

    name = "hardship_aid"
    sector = "social_assistance"
    cost_source = COSTS["hardship_aid"][1]

    def __init__(self, model: UrbanizationModel, line: float) -> None:
        super().__init__(model)
        model.pop.add_column("aid_month", np.int16, -1000, "model month of the last one-off hardship aid")
        self.amount = COSTS["hardship_aid"][0]
        self.income_line = 2.0 * float(line)
        self.take_up = 0.8  # assumed
        self.paid = 0.0

    def apply(self, access: np.ndarray) -> None:
        pop, model = self.model.pop, self.model
        hit = np.flatnonzero(pop.hardship == 6)  # the shock struck this month (``model.life.shocks``)
        hit = hit[access[hit] > 0]
        hit = hit[income_per_person(model, hit) < self.income_line]
        got = hit[model.rng.random(hit.size) < self.take_up]
        pop.aid_month[got] = model.month
        self.recipients = float(pop.weight[got].sum())
        self.paid = self.amount * self.recipients

    def cost(self) -> float:
        return self.paid


class Pension(Entitlement):
    """Pension schemes: urban employee (formal jobs), urban-rural resident (others with urban access) and
    new rural pension (local rural hukou without urban access). Enrolment follows monthly take-up chances;
    non-local households take up far less (2009: 7.6 % of migrant workers had pension insurance, NBS migrant
    worker monitoring survey)."""

    name = "pension"
    sector = "social_security"
    cost_source = "contribution subsidy and basic pensions (Guo Fa [2009] 32; urban resident basic assumed)"

    def __init__(self, model: UrbanizationModel) -> None:
        super().__init__(model)
        model.pop.add_column(
            "pension", np.int8, 0, "pension scheme: 0 none, 1 employee, 2 resident, 3 new rural"
        )
        self.take_up_local = 0.2  # assumed monthly enrolment chance of eligible local households
        self.take_up_nonlocal = 0.01  # assumed (low employer compliance for migrants)
        self.take_up_new_rural = 0.02  # assumed roll-out of the new rural pension
        self.delivery_boost = 1.0  # take-up multiplier for households served by a community centre

    def apply(self, access: np.ndarray) -> None:
        pop, model = self.model.pop, self.model
        scheme = pop.pension
        local = pop.hukou_local
        formal = pop.job == Job.FORMAL
        acc_all = access > 0
        cand = np.flatnonzero(
            (
                acc_all
                & (((scheme != PENSION_EMPLOYEE) & formal) | (scheme == 0) | (scheme == PENSION_NEW_RURAL))
            )
            | (~acc_all & local & ~pop.hukou_urban & (scheme == 0))
        )
        if cand.size == 0:
            return
        acc = acc_all[cand]
        chance = np.where(
            acc, np.where(local[cand], self.take_up_local, self.take_up_nonlocal), self.take_up_new_rural
        )
        if self.delivery_boost != 1.0:
            chance = chance * np.where(pop.use_community_centre[cand] > 0, self.delivery_boost, 1.0)
        join = draw(model.rng, cand, chance)
        a = acc_all[join]
        scheme[join] = np.where(
            a, np.where(formal[join], PENSION_EMPLOYEE, PENSION_RESIDENT), PENSION_NEW_RURAL
        )

    def cost(self) -> float:
        pop = self.model.pop
        rows = np.flatnonzero((pop.pension == PENSION_RESIDENT) | (pop.pension == PENSION_NEW_RURAL))
        w = pop.weight[rows]
        resident = pop.pension[rows] == PENSION_RESIDENT
        subsidy = COSTS["pension_contribution_subsidy"][0] * float((pop.adults[rows].astype(float) * w).sum())
        elders = pop.elders[rows].astype(float) * w
        return subsidy + COSTS["pension_basic_urban_resident"][0] * float(elders[resident].sum())

    def central_cost(self) -> float:
        """Basic new rural pensions, paid by the central government."""
        pop = self.model.pop
        rows = np.flatnonzero(pop.pension == PENSION_NEW_RURAL)
        return COSTS["pension_basic_new_rural"][0] * float(
            (pop.elders[rows].astype(float) * pop.weight[rows]).sum()
        )


class MedicalInsurance(Entitlement):
    """Medical insurance: urban employee (formal jobs), urban resident (others with urban access), new rural
    cooperative (rural hukou without urban access; migrants' NCMS is paid at origin and not booked here)."""

    name = "medical_insurance"
    sector = "health"
    cost_source = COSTS["medical_subsidy"][1]

    def __init__(self, model: UrbanizationModel) -> None:
        super().__init__(model)
        model.pop.add_column(
            "insured", np.int8, 0, "medical insurance: 0 none, 1 employee, 2 resident, 3 NCMS"
        )
        self.take_up_local = 0.2  # assumed
        self.take_up_nonlocal = 0.02  # assumed
        self.delivery_boost = 1.0

    def apply(self, access: np.ndarray) -> None:
        pop, model = self.model.pop, self.model
        ins = pop.insured
        formal = pop.job == Job.FORMAL
        cand = np.flatnonzero(
            (access > 0) & (((ins != INSURANCE_EMPLOYEE) & formal) | (ins == 0) | (ins == INSURANCE_NCMS))
        )
        if cand.size == 0:
            return
        chance = np.where(pop.hukou_local[cand], self.take_up_local, self.take_up_nonlocal)
        if self.delivery_boost != 1.0:
            chance = chance * np.where(pop.use_community_centre[cand] > 0, self.delivery_boost, 1.0)
        join = draw(model.rng, cand, chance)
        ins[join] = np.where(formal[join], INSURANCE_EMPLOYEE, INSURANCE_RESIDENT)

    def cost(self) -> float:
        """Government premium subsidies for urban resident and local NCMS members (persons)."""
        pop = self.model.pop
        ins = pop.insured
        rows = np.flatnonzero((ins >= INSURANCE_RESIDENT) & ((ins == INSURANCE_RESIDENT) | pop.hukou_local))
        return COSTS["medical_subsidy"][0] * float(
            ((pop.persons(rows).astype(float)) * (pop.weight[rows])).sum()
        )


# --- the catalogue ----------------------------------------------------------------------------------------
class CityServices(ServiceSet):
    """The full service catalogue of a city, calibrated from its ``[services]`` section."""

    def __init__(self, model: UrbanizationModel) -> None:
        super().__init__(model)
        self.config = _config(model)
        self.entitlements: list[Entitlement] = []
        self._access_ready = False
        self.access_rates: dict[str, tuple[float, float]] = {}  # (local urban, migrant) shares with access
        self.sanitation_coverage = np.zeros(len(model.profile.districts))  # share of residents served
        self.extra_costs: list[tuple[str, float, str]] = []  # (sector, yuan, payer) booked at month end
        self.budgets: dict[str, float] = {}  # planned annual budget by service (``service_costing``)

    # --- construction ----------------------------------------------------------------------------------
    def setup(self) -> None:
        model, cfg = self.model, self.config
        pop = model.pop
        pop.add_column("pregnant", np.int8, 0, "months left of a pregnancy in the household (0: none)")
        pop.add_column("graduate", np.bool_, False, "head is a university graduate")
        for name in ACCESS_SERVICES:
            pop.add_column(f"acc_{name}", np.bool_, False, f"the policies let the household use {name}")
        pop.add_column("access_count", np.int8, 0, "household services (of eleven) the household may use")
        self.primary = PrimarySchool(model, cfg["class_size_norm_primary"], cfg["max_class_size"])
        self.junior = JuniorSchool(model, cfg["class_size_norm_junior"], cfg["max_class_size"])
        self.private = PrivateMigrantSchool(model)
        self.child_health = ChildHealth(model)
        self.maternal_health = MaternalHealth(model)
        self.community = CommunityCentre(model)
        self.public_rental = PublicRental(model)
        self.training = Training(model)
        self.services = [
            self.primary,
            self.junior,
            self.private,
            self.child_health,
            self.maternal_health,
            self.community,
            self.public_rental,
            self.training,
        ]
        self.dibao = Dibao(model, cfg["dibao_line_urban"], cfg["dibao_line_rural"])
        self.hardship_aid = HardshipAid(model, cfg["dibao_line_urban"])
        self.pension = Pension(model)
        self.medical_insurance = MedicalInsurance(model)
        self.entitlements = [self.dibao, self.hardship_aid, self.pension, self.medical_insurance]
        self._column = {name: j for j, name in enumerate(ACCESS_SERVICES)}
        self._calibrate()

    def _calibrate(self) -> None:
        """Starting enrolment, profiles, tenancies and capacities (city file ``[services]``)."""
        model, cfg, rng = self.model, self.config, self.model.rng
        pop = model.pop
        n, w = pop.n, pop.weight
        nd = len(model.profile.districts)
        district = pop.district.astype(np.int64)
        local = pop.hukou_local
        self.set_static(np.arange(n))
        # schools: locals all in public; migrants by the calibrated enrolment and public share
        u = rng.random(n)
        public = local | (u < cfg["migrant_enrolment_start"] * cfg["migrant_public_share_start"])
        private = ~public & (u < cfg["migrant_enrolment_start"])
        for svc, size_key in ((self.primary, "primary"), (self.junior, "junior")):
            kids = pop.col(svc.kids_col)
            svc.held[:] = np.where(public, kids, 0)
            pupils = np.bincount(district, weights=svc.held * w, minlength=nd)
            svc.set_classes(pupils / float(cfg[f"class_size_start_{size_key}"]))
        comp = pop.kids_6_11 + pop.kids_12_14
        self.private.held[:] = np.where(private, comp, 0)
        self.private.set_capacity(
            np.bincount(district, weights=self.private.held * w, minlength=nd)
            * (1 + cfg["private_school_slack"])
        )
        # health profiles
        pop.pregnant[:] = 0
        at_risk = np.flatnonzero((pop.head_age >= 20) & (pop.head_age < 40) & (pop.adults >= 2))
        preg = at_risk[rng.random(at_risk.size) < 9 * model.behaviour.fertility]
        pop.pregnant[preg] = rng.integers(1, 10, preg.size)
        health: tuple[tuple[Service, str], ...] = (
            (self.child_health, "child_health"),
            (self.maternal_health, "maternal_health"),
        )
        for hsvc, key in health:
            need = hsvc.need_all()
            cover = np.where(local, cfg[f"{key}_coverage_local"], cfg[f"{key}_coverage_migrant"])
            hsvc.held[:] = np.where(rng.random(n) < cover, need, 0)
            hsvc.set_capacity(hsvc.used() * (1 + cfg["health_slack"]))
        # community centres: places by district kind, first to local households
        kinds = [d.kind for d in model.profile.districts]
        share = np.array([float(cfg["community_centre_share"].get(k.name.lower(), 0.0)) for k in kinds])
        households = np.bincount(district, weights=w, minlength=nd)
        self.community.set_capacity(households * share)
        local_hh = np.bincount(district, weights=w * local, minlength=nd)
        p_place = np.where(
            local_hh > 0, np.minimum(households * share / np.maximum(local_hh, 1e-9), 1.0), 0.0
        )
        wanted = np.flatnonzero(local & (rng.random(n) < p_place[district]))
        wanted = wanted[rng.permutation(wanted.size)]
        order = np.argsort(district[wanted], kind="stable")
        wanted = wanted[order]
        cum = np.cumsum(w[wanted])
        start = np.searchsorted(district[wanted], np.arange(nd))
        before = np.concatenate([[0.0], cum])[start]
        fits = cum - before[district[wanted]] <= self.community.capacity[district[wanted]] + 1e-9
        self.community.held[:] = 0
        self.community.held[wanted[fits]] = 1
        # public rental: current tenants
        self.public_rental.held[:] = pop.residence == Residence.PUBLIC_RENTAL
        self.public_rental.set_capacity(self.public_rental.used() * (1 + cfg["public_rental_slack"]))
        # training: places for working-age heads
        heads = float(w[pop.head_age < 60].sum())
        self.training.set_capacity(heads * cfg["training_places_per_1000_heads"] / 1000.0)
        # entitlements
        self._initial_entitlements(np.arange(n), arriving=False)
        # sanitation: "being extended into urban villages ... in certain villages" (seed ch.2 III.2)
        self.sanitation_coverage = np.array(
            [
                1.0 if k is DistrictKind.URBAN_CORE else 0.3 if k is DistrictKind.URBAN_VILLAGE else 0.5
                for k in kinds
            ]
        )
        self._update_unschooled()
        for svc in self.services:
            svc.mark_held_here()
            svc.used_after = svc.used()

    def set_static(self, rows: np.ndarray) -> None:
        """Columns fixed at arrival: graduates are high-skill heads (years since graduation: age - 22)."""
        pop = self.model.pop
        pop.graduate[rows] = pop.skill[rows] == Skill.HIGH

    def _initial_entitlements(self, rows: np.ndarray, arriving: bool) -> None:
        """Starting pension and insurance enrolment (assumed shares; NBS 2009 migrant monitoring: 7.6 % of
        migrant workers with pension insurance, 12.2 % with medical insurance; NCMS covered ~94 % of rural
        residents in 2009)."""
        pop, rng = self.model.pop, self.model.rng
        k = rows.size
        local, urban = pop.hukou_local[rows], pop.hukou_urban[rows]
        formal = pop.job[rows] == Job.FORMAL
        u1, u2 = rng.random(k), rng.random(k)
        pension = np.zeros(k, dtype=np.int8)
        if not arriving:
            pension[local & formal & (u1 < 0.9)] = PENSION_EMPLOYEE
            pension[local & urban & ~formal & (u1 < 0.5)] = PENSION_RESIDENT
            pension[local & ~urban & (u1 < 0.5)] = PENSION_NEW_RURAL
        pension[~local & formal & (u1 < 0.19)] = PENSION_EMPLOYEE
        pop.pension[rows] = pension
        ins = np.zeros(k, dtype=np.int8)
        ins[local & formal & (u2 < 0.95)] = INSURANCE_EMPLOYEE
        ins[local & urban & ~formal & (u2 < 0.85)] = INSURANCE_RESIDENT
        ins[~urban & (u2 < 0.92)] = INSURANCE_NCMS
        ins[~local & formal & (u2 < 0.3)] = INSURANCE_EMPLOYEE
        pop.insured[rows] = ins

    # --- access ------------------------------------------------------------------------------------------
    def refresh_access(self, rows: np.ndarray | None = None) -> None:
        """Ask the policies who may use each service (all rows, or ``rows``)."""
        pop = self.model.pop
        ps = self.model.policy_set
        idx: np.ndarray | slice
        if rows is None:
            rows, idx = all_rows(pop.n), slice(None)
            self._access_ready = True
        else:
            idx = rows
        full = isinstance(idx, slice)
        count = np.zeros(rows.size, dtype=np.int8)
        # for the access-gap indicators: each household's answers as the bits of one code, so the persons of every
        # combination are summed in one weighted count (one pass, float64)
        code = np.zeros(rows.size, dtype=np.uint16) if full else None
        for j, name in enumerate(ACCESS_SERVICES):
            ans = np.asarray(ps.service_access(name, rows), dtype=bool)
            pop.col(f"acc_{name}")[idx] = ans
            if j < INDEX_SERVICES:
                count += ans
            if code is not None:
                set_bit(code, ans, j)
        pop.access_count[idx] = count
        if code is not None:
            set_bit(code, pop.hukou_local & pop.hukou_urban, _GROUP_BIT)
            set_bit(code, ~pop.hukou_local, _GROUP_BIT + 1)
            persons = np.bincount(code, weights=pop.persons() * pop.weight, minlength=1 << (_GROUP_BIT + 2))
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

    # --- the monthly phases --------------------------------------------------------------------------
    def apply(self) -> None:
        """Decision phase: pregnancies and courses advance, access is refreshed, households apply."""
        self._pregnancies()
        self.training.progress()
        self.training.draw_interest()
        self.refresh_access()
        for svc in self.services:
            svc.apply(self.access(svc.name))
        for ent in self.entitlements:
            ent.apply(self.access(ent.name))

    def allocate(self) -> None:
        """Allocation phase: each service admits by its priority rule (public schools before private)."""
        for svc in self.services:
            if svc is self.private:
                self.private.reconcile()
            svc.allocate()
        self._update_unschooled()

    def book(self) -> None:
        """Book the month's costs by sector and payer (real-population terms)."""
        ledger = self.model.ledger
        for svc in [*self.services, *self.entitlements]:
            c = svc.cost()
            if c > 0:
                ledger.charge(svc.sector, c, svc.payer)
        central = self.pension.central_cost()
        if central > 0:
            ledger.charge("social_security", central, "central")
        for sector, amount, payer in self.extra_costs:
            if amount > 0:
                ledger.charge(sector, amount, payer)
        self.extra_costs = []

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
        self._initial_entitlements(rows, arriving=arriving)
        if self._access_ready:
            self.refresh_access(rows)

    # --- helpers -------------------------------------------------------------------------------------
    def _pregnancies(self) -> None:
        """Pregnancies: months count down; households at risk of a birth (``model.life.births``: head 20-40,
        two adults) conceive at the same monthly rate, so profiles track births nine months ahead."""
        pop, model = self.model.pop, self.model
        preg = pop.pregnant
        p = np.flatnonzero(preg)
        preg[p] -= 1
        at_risk = np.flatnonzero((pop.head_age >= 20) & (pop.head_age < 40) & (pop.adults >= 2) & (preg == 0))
        preg[sample(model.rng, at_risk, model.behaviour.fertility)] = 9

    def _update_unschooled(self) -> None:
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


__all__ = ["ACCESS_SERVICES", "CAPACITY_SERVICES", "COSTS", "DEFAULTS", "CityServices", "HouseholdType"]
