"""A field: a grid of plots with soil water and plantings."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from farmplots.crops import find_crop

STARTING_FRACTION = 0.6
WILTING_FRACTION = 0.25


@dataclass
class Planting:
    crop_name: str
    sow_day: int
    stress_days: int = 0
    deficit_mm: float = 0.0


@dataclass
class Field:
    """`capacity[r][c]` is the water (mm) plot (r, c) can hold; `moisture` is what it holds."""

    name: str
    capacity: list[list[float]]
    moisture: list[list[float]] = field(init=False)
    plantings: dict[tuple[int, int], Planting] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.capacity or not self.capacity[0]:
            raise ValueError(f"field {self.name!r} has no plots")
        if any(len(row) != len(self.capacity[0]) for row in self.capacity):
            raise ValueError(f"field {self.name!r}: rows must all have the same length")
        if any(value <= 0 for row in self.capacity for value in row):
            raise ValueError(f"field {self.name!r}: capacities must be positive")
        self.capacity = [list(row) for row in self.capacity]
        self.moisture = [[cap * STARTING_FRACTION for cap in row] for row in self.capacity]
        self.plantings = dict(self.plantings)

    @property
    def rows(self) -> int:
        return len(self.capacity)

    @property
    def cols(self) -> int:
        return len(self.capacity[0])

    def in_bounds(self, row: int, col: int) -> bool:
        return 0 <= row < self.rows and 0 <= col < self.cols

    def plant(self, row: int, col: int, crop_name: str, sow_day: int) -> Planting:
        if not self.in_bounds(row, col):
            raise IndexError(f"plot ({row}, {col}) is outside field {self.name!r}")
        if (row, col) in self.plantings:
            raise ValueError(f"plot ({row}, {col}) of {self.name!r} is already planted")
        crop = find_crop(crop_name)
        planting = Planting(crop.name, sow_day)
        self.plantings[(row, col)] = planting
        return planting

    def plant_block(
        self, top: int, left: int, bottom: int, right: int, crop_name: str, sow_day: int
    ) -> int:
        """Plant every free plot in rows top..bottom and cols left..right (inclusive)."""
        count = 0
        for row in range(top, bottom + 1):
            for col in range(left, right + 1):
                if (row, col) not in self.plantings:
                    self.plant(row, col, crop_name, sow_day)
                    count += 1
        return count

    def neighbours(self, row: int, col: int) -> list[tuple[int, int]]:
        found = []
        for dr, dc in ((-1, 0), (1, 0), (0, -1), (0, 1)):
            r, c = row + dr, col + dc
            if self.in_bounds(r, c):
                found.append((r, c))
        return found

    def moisture_fraction(self, row: int, col: int) -> float:
        return self.moisture[row][col] / self.capacity[row][col]

    def add_water(self, row: int, col: int, mm: float) -> float:
        """Add water to one plot; returns the runoff above the plot's capacity."""
        if mm < 0:
            raise ValueError("cannot add a negative amount of water")
        level = self.moisture[row][col] + mm
        cap = self.capacity[row][col]
        if level > cap:
            self.moisture[row][col] = cap
            return level - cap
        self.moisture[row][col] = level
        return 0.0

    def rain(self, mm: float) -> float:
        runoff = 0.0
        for row in range(self.rows):
            for col in range(self.cols):
                runoff += self.add_water(row, col, mm)
        return runoff

    def redistribute(self, rate: float = 0.15) -> None:
        """Lateral seepage: each plot moves part of the way towards its neighbours' wetness."""
        new = []
        for row in range(self.rows):
            new_row = []
            for col in range(self.cols):
                own = self.moisture_fraction(row, col)
                around = [self.moisture_fraction(r, c) for r, c in self.neighbours(row, col)]
                if around:
                    target = statistics.mean(around)
                    own = own + (target - own) * rate
                new_row.append(min(1.0, own) * self.capacity[row][col])
            new.append(new_row)
        self.moisture = new

    def mean_moisture(self) -> float:
        fractions = []
        for row in range(self.rows):
            for col in range(self.cols):
                fractions.append(self.moisture_fraction(row, col))
        return statistics.mean(fractions)
