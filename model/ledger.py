"""The fiscal ledger (docs/model.md, section 2): every service's cost booked monthly by sector and payer.

Services and policies call :meth:`FiscalLedger.charge` during the month; :meth:`FiscalLedger.close_month` (phase 7)
moves the month's bookings into the history. Amounts are yuan in real-population terms.
"""

from __future__ import annotations

from collections import defaultdict

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
PAYERS = ("city", "district", "province", "central")


class FiscalLedger:
    """Monthly bookings by (sector, payer)."""

    def __init__(self) -> None:
        self.month: dict[tuple[str, str], float] = defaultdict(float)
        self.last_month: dict[tuple[str, str], float] = {}
        self.cumulative: dict[tuple[str, str], float] = defaultdict(float)

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
        self.month[(sector, payer)] += float(amount)

    def close_month(self) -> None:
        self.last_month = dict(self.month)
        for key, value in self.month.items():
            self.cumulative[key] += value
        self.month = defaultdict(float)

    def spend(self, sector: str | None = None, payer: str | None = None, cumulative: bool = False) -> float:
        """Spending of the last closed month (or since the start), optionally for one sector or payer."""
        book = self.cumulative if cumulative else self.last_month
        return float(
            sum(
                v
                for (s, p), v in book.items()
                if (sector is None or s == sector) and (payer is None or p == payer)
            )
        )
