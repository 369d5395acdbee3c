"""The housing stock: dwellings by district and tenure (docs/model.md, section 7.6).

Dwellings are counted in real units (one real household each), like household weights. Occupancy is not stored:
it is the weighted count of households by district and tenure, so arrivals, moves and departures change it
without bookkeeping, and vacancy is what the stock has beyond it.

Tenures differ in how supply meets demand:

* **Market tenures** (dormitories, private rentals, owned homes) are built by employers and developers: each
  month a share ``housing_supply_response`` of the gap between the stock and occupancy plus a target vacancy is
  built. A household that wants one where none is vacant cannot have it.
* **Informal and self-built housing** (rooms in urban villages, farmers' houses on their homesteads) and
  **resettlement apartments** (built by the government for those it moves) grow with whoever needs them.
* **Public rental flats** are the public-rental service's capacity: households get them only through its queue.

Placement (:meth:`HousingStock.place`) is how new households (arrivals, young couples) and policies that move
households into market tenures take dwellings: in random order, while vacancies last; the rest fall back to a
private rental where one is vacant, else to a room in an urban village, the city's elastic informal housing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from urbanize.model.enums import DistrictKind, HouseholdType, Residence

if TYPE_CHECKING:
    from urbanize.model.core import UrbanizationModel

N_TENURES = len(Residence)
MARKET = (Residence.DORMITORY, Residence.PRIVATE_RENTAL, Residence.OWNED)

#: vacancy at the start and the vacancy builders aim for, by market tenure (assumed; Chinese urban vacancy
#: estimates of the period range from about 5 % to over 20 %, higher in new towns; city files may override
#: them in a ``[housing]`` table: ``vacancy_dormitory``, ``vacancy_private_rental``, ``vacancy_owned``)
DEFAULT_VACANCY = {Residence.DORMITORY: 0.04, Residence.PRIVATE_RENTAL: 0.06, Residence.OWNED: 0.08}


class HousingStock:
    """Dwellings by district and tenure (real units), sized from the starting population."""

    def __init__(self, model: UrbanizationModel) -> None:
        self.model = model
        raw = model.profile.raw.get("housing", {})
        self.vacancy_target = np.zeros(N_TENURES)
        for tenure, default in DEFAULT_VACANCY.items():
            self.vacancy_target[tenure] = float(raw.get(f"vacancy_{tenure.name.lower()}", default))
        kinds = np.array([int(d.kind) for d in model.profile.districts])
        self.urban_villages = np.flatnonzero(kinds == DistrictKind.URBAN_VILLAGE)
        self.dwellings = self.occupied() * (1.0 + self.vacancy_target)
        self.built = 0.0  # market dwellings built since the start (real units)

    # --- state --------------------------------------------------------------------------------------------
    def occupied(self) -> np.ndarray:
        """Households (real units) living in each district (rows) and tenure (columns)."""
        pop = self.model.pop
        n_districts = len(self.model.profile.districts)
        cell = pop.district.astype(np.uint16) * np.uint16(N_TENURES)  # 16-bit arithmetic: cheaper than intp
        cell += pop.residence.view(np.uint8)
        counts = np.bincount(cell, weights=pop.weight, minlength=n_districts * N_TENURES)
        return counts.reshape(n_districts, N_TENURES)

    def vacant(self) -> np.ndarray:
        """Vacant dwellings by district and tenure (never below 0)."""
        return np.maximum(self.dwellings - self.occupied(), 0.0)

    def vacancy_rate(
        self, tenures: tuple[Residence, ...] = MARKET, vacant: np.ndarray | None = None
    ) -> float:
        """Vacant share of the dwellings of ``tenures``, city-wide (``vacant``: from :meth:`vacant`, if at hand)."""
        cols = [int(t) for t in tenures]
        total = float(self.dwellings[:, cols].sum())
        vacant = self.vacant() if vacant is None else vacant
        return float(vacant[:, cols].sum()) / total if total > 0 else float("nan")

    # --- monthly ------------------------------------------------------------------------------------------
    def build(self) -> None:
        """Builders close part of the gap to the target vacancy; elastic stock follows occupancy; public rental
        flats are the public-rental service's capacity."""
        occupied = self.occupied()
        cols = [int(t) for t in MARKET]
        target = occupied[:, cols] * (1.0 + self.vacancy_target[cols])
        gap = np.maximum(target - self.dwellings[:, cols], 0.0)
        new = gap * self.model.behaviour.housing_supply_response
        self.dwellings[:, cols] += new
        self.built += float(new.sum())
        elastic = [int(Residence.URBAN_VILLAGE_RENTAL), int(Residence.RESETTLEMENT)]
        self.dwellings[:, elastic] = np.maximum(self.dwellings[:, elastic], occupied[:, elastic])
        services = self.model.services
        if "public_rental" in services:
            self.dwellings[:, int(Residence.PUBLIC_RENTAL)] = services["public_rental"].capacity
        else:
            pr = int(Residence.PUBLIC_RENTAL)
            self.dwellings[:, pr] = np.maximum(self.dwellings[:, pr], occupied[:, pr])

    # --- placing households -------------------------------------------------------------------------------
    def place(
        self,
        district: np.ndarray,
        tenure: np.ndarray,
        weight: np.ndarray,
        htype: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Dwellings for households not yet in the city's rows (or moving): returns (district, tenure) each gets.

        Households wanting a market tenure get it in random order while the district's vacancies last (local
        farmers' owned homes are self-built and always fit); public rental is only had through its queue, so
        it is treated like a private rental here. The rest take a vacant private rental in the district, else
        a room in an urban village (the nearest kind of informal housing: a random urban-village district, or
        their own district if the city has none). A farmer's self-built house is added to the stock here.
        """
        rng = self.model.rng
        district = np.asarray(district, dtype=np.int16).copy()
        tenure = np.asarray(tenure, dtype=np.int8).copy()
        weight = np.asarray(weight, dtype=float)
        # plain ints: numpy compares an array with an IntEnum member some twenty times slower
        tenure[tenure == int(Residence.PUBLIC_RENTAL)] = Residence.PRIVATE_RENTAL
        free = self.vacant()
        self_built = (tenure == int(Residence.OWNED)) & (np.asarray(htype) == int(HouseholdType.LOCAL_FARMER))
        market = np.isin(tenure, [int(t) for t in MARKET]) & ~self_built
        if self_built.any():  # a farmer couple builds its house on a homestead plot
            np.add.at(
                self.dwellings,
                (district[self_built].astype(np.intp), int(Residence.OWNED)),
                weight[self_built],
            )
        fits = ~market
        fits[market] = self._claim(free, district[market], tenure[market], weight[market], rng)
        # fall back to a vacant private rental in the same district
        rental = np.full(tenure.size, int(Residence.PRIVATE_RENTAL), dtype=np.int8)
        retry = np.flatnonzero(~fits)
        if retry.size:
            ok = self._claim(free, district[retry], rental[retry], weight[retry], rng)
            tenure[retry[ok]] = Residence.PRIVATE_RENTAL
            fits[retry[ok]] = True
        # else a room in an urban village
        rest = np.flatnonzero(~fits)
        if rest.size:
            tenure[rest] = Residence.URBAN_VILLAGE_RENTAL
            if self.urban_villages.size:
                district[rest] = rng.choice(self.urban_villages, size=rest.size).astype(np.int16)
        return district, tenure

    @staticmethod
    def _claim(
        free: np.ndarray,
        district: np.ndarray,
        tenure: np.ndarray,
        weight: np.ndarray,
        rng: np.random.Generator,
    ) -> np.ndarray:
        """Which households (in random order) fit the vacancies ``free``; ``free`` loses what they take."""
        if district.size == 0:
            return np.zeros(0, dtype=bool)
        cell = district.astype(np.intp) * N_TENURES + tenure.astype(np.intp)
        order = np.lexsort((rng.random(cell.size), cell))
        cell_sorted, w_sorted = cell[order], weight[order]
        cum = np.cumsum(w_sorted)
        start = np.ones(cell.size, dtype=bool)
        start[1:] = cell_sorted[1:] != cell_sorted[:-1]
        first = np.flatnonzero(start)
        before = np.repeat((cum - w_sorted)[first], np.diff(np.append(first, cell.size)))
        flat_free = free.reshape(-1)
        fit_sorted = cum - before <= flat_free[cell_sorted] + 1e-9
        fits = np.empty(cell.size, dtype=bool)
        fits[order] = fit_sorted
        np.subtract.at(flat_free, cell[fits], weight[fits])
        return fits
