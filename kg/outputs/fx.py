"""Fixed exchange rates, so funding amounts in different currencies can be compared on one axis.

Rates are stated, not fetched: the pipeline runs offline and a chart must say which rate it used.
The defaults are approximate 2024 annual averages; pass your own with ``--rate CNY=0.14``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_USD_PER_UNIT = {"USD": 1.0, "CNY": 0.139, "HKD": 0.128, "EUR": 1.082, "GBP": 1.278, "JPY": 0.0066}
DEFAULT_AS_OF = "approximate 2024 annual averages"


@dataclass
class Rates:
    usd_per_unit: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_USD_PER_UNIT))
    as_of: str = DEFAULT_AS_OF

    def convert(self, amount: float, currency: str, target: str = "USD") -> float:
        for code in (currency, target):
            if code not in self.usd_per_unit:
                raise KeyError(f"no exchange rate for {code}; pass --rate {code}=<USD per unit>")
        return amount * self.usd_per_unit[currency] / self.usd_per_unit[target]

    def statement(self, target: str = "USD") -> str:
        """One line for a chart caption: every rate used, in units of ``target``."""
        pairs = ", ".join(f"1 {c} = {self.convert(1.0, c, target):.4g} {target}"
                          for c in sorted(self.usd_per_unit) if c != target)
        return f"{pairs} ({self.as_of})"

    def with_overrides(self, specs: list[str]) -> Rates:
        """``["CNY=0.14"]``: USD per unit, replacing or adding a currency."""
        rates = dict(self.usd_per_unit)
        for spec in specs:
            code, _, value = spec.partition("=")
            try:
                rates[code.strip().upper()] = float(value)
            except ValueError:
                raise ValueError(f"bad rate {spec!r}: expected CODE=<USD per unit>, e.g. CNY=0.14") from None
        return Rates(rates, "user-supplied rates" if specs else self.as_of)
