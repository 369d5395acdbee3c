"""The fiscal ledger (docs/model.md, section 2 and "Budgets and payers"): every service's cost booked monthly by
sector and payer.

Services and policies call :meth:`FiscalLedger.charge` during the month; :meth:`FiscalLedger.close_month` (phase 7)
moves the month's bookings into the history. Amounts are yuan in real-population terms. A booking to a local
payer (``city``, ``district``) is split by the sector's transfer rule (``model.budget.FiscalParams``): the
province's and the centre's shares are booked to them. ``households`` books fees and individual contributions,
which are not public spending: :meth:`FiscalLedger.spend` leaves them out unless asked for.
"""

from __future__ import annotations

from collections import defaultdict, deque

from urbanize.model.budget import HOUSEHOLDS, LOCAL_PAYERS, PUBLIC_PAYERS, FiscalParams, split_local

SECTORS = (
    "education",
    "health",
    "housing",
    "social_assistance",
    "social_security",
    "training",
    "registration",
    "community",
)
PAYERS = (*PUBLIC_PAYERS, HOUSEHOLDS)


class FiscalLedger:
    """Monthly bookings by (sector, payer)."""

    def __init__(self) -> None:
        self.month: dict[tuple[str, str], float] = defaultdict(float)
        self.last_month: dict[tuple[str, str], float] = {}
        self.cumulative: dict[tuple[str, str], float] = defaultdict(float)
        self.year: deque[float] = deque(maxlen=12)  # public spending of each of the last 12 closed months
        self.transfers = FiscalParams()  # the transfer rules (the budget_limit policy may replace them)
        self._tables: dict[bool, dict[tuple[str | None, str | None], float]] = {}  # spend's totals, per close

    def charge(self, sector: str, amount: float, payer: str = "city") -> None:
        """Book ``amount`` yuan to ``sector``, paid by ``payer``.

        Raises:
            ValueError: for an unknown sector or payer, or a negative amount.
        """
        if sector not in SECTORS:
            raise ValueError(f"unknown fiscal sector '{sector}'; valid: {', '.join(SECTORS)}")
        if payer not in PAYERS:
            raise ValueError(f"unknown payer '{payer}'; valid: {', '.join(PAYERS)}")
        if not amount >= 0:
            raise ValueError(f"a charge must be a non-negative amount, got {amount!r} for {sector}")
        amount = float(amount)
        if payer in LOCAL_PAYERS:
            for upper, part in split_local(self.transfers, sector, amount).items():
                if part > 0:
                    self.month[(sector, upper)] += part
                    amount -= part
        self.month[(sector, payer)] += amount

    def close_month(self) -> None:
        self.last_month = dict(self.month)
        for key, value in self.month.items():
            self.cumulative[key] += value
        self.month = defaultdict(float)
        self._tables = {}
        self.year.append(self.spend())

    def spend_last_year(self) -> float:
        """Public spending a month over the last 12 closed months (fewer in the first year; 0 before any): annual
        items booked in one month, such as January's school construction, spread over their year."""
        return float(sum(self.year) / len(self.year)) if self.year else 0.0

    def spend(self, sector: str | None = None, payer: str | None = None, cumulative: bool = False) -> float:
        """Spending of the last closed month (or since the start), optionally for one sector or payer; without a
        payer, public spending (every payer but ``households``)."""
        table = self._tables.get(cumulative)
        if table is None:
            table = self._tables[cumulative] = _totals(self.cumulative if cumulative else self.last_month)
        return float(table.get((sector, payer), 0.0))


def _totals(book: dict[tuple[str, str], float]) -> dict[tuple[str | None, str | None], float]:
    """Every total :meth:`FiscalLedger.spend` reads, keyed ``(sector or None, payer or None)``, in one pass over
    the bookings (some forty reads a month). Each total adds its bookings in the book's order from 0, as the
    filtered sum it replaces did, so the floats are the same."""
    out: dict[tuple[str | None, str | None], float] = {}
    for (s, p), v in book.items():
        keys: list[tuple[str | None, str | None]] = [(s, p), (None, p)]
        if p != HOUSEHOLDS:
            keys += [(s, None), (None, None)]
        for key in keys:
            out[key] = out.get(key, 0) + v
    return out
