"""A small clinic: patients, a triage queue and a day's appointment book."""

from clinic.model import Appointment, Clinic, Patient

__all__ = ["Appointment", "Clinic", "Patient"]
