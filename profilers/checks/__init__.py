"""Checks that a head is right and that its gain is real, beyond tests and printed output: the
behaviour of the functions it changes, perturbed inputs, special cases, clean state. Each is a
stage of the measurement cascade."""
