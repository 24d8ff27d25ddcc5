"""The chart of accounts."""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("asset", "liability", "equity", "income", "expense")
DEBIT_NORMAL = ("asset", "expense")


class UnknownAccount(KeyError):
    pass


@dataclass(frozen=True)
class Account:
    code: str
    name: str
    kind: str

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"{self.code}: unknown account kind {self.kind!r}")

    @property
    def debit_normal(self) -> bool:
        return self.kind in DEBIT_NORMAL


def standard_chart() -> list[Account]:
    chart = [
        Account("1000", "Cash", "asset"),
        Account("1200", "Bank", "asset"),
        Account("1400", "Receivables", "asset"),
        Account("1600", "Inventory", "asset"),
        Account("2000", "Payables", "liability"),
        Account("2100", "VAT payable", "liability"),
        Account("3000", "Owner's equity", "equity"),
        Account("4000", "Sales", "income"),
        Account("4100", "Services", "income"),
    ]
    for i, name in enumerate(["Rent", "Wages", "Travel", "Office", "Software", "Marketing"]):
        chart.append(Account(f"6{i:01d}00", name, "expense"))
    return chart
