from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Parcel:
    ref: str
    recipient: str
    address: str
    postcode: str
    weight_kg: float
    express: bool = False

    def __post_init__(self) -> None:
        if self.weight_kg <= 0:
            raise ValueError(f"{self.ref}: weight must be positive")
