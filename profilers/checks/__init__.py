"""Correctness and anti-gaming checks of a head, each a stage of the measurement cascade."""
