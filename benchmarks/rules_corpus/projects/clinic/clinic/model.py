"""Domain objects: patients with computed properties, appointments, the clinic itself."""

from __future__ import annotations


class Patient:
    def __init__(self, pid, name, birth_year, severity):
        self.pid = pid
        self.name = name
        self.birth_year = birth_year
        self.severity = severity

    @property
    def age(self):
        return 2024 - self.birth_year

    @property
    def label(self):
        return "%s (%d)" % (self.name.title(), self.age)

    def __repr__(self):
        return f"Patient({self.pid!r}, {self.name!r})"


class Appointment:
    def __init__(self, aid, patient_id, slot, fee):
        self.aid = aid
        self.patient_id = patient_id
        self.slot = slot
        self.fee = fee


class Clinic:
    def __init__(self):
        self.patients = []
        self.appointments = []

    def admit(self, patient):
        self.patients.append(patient)

    def book(self, appointment):
        self.appointments.append(appointment)

    def patient_by_id(self, pid):
        for p in self.patients:
            if p.pid == pid:
                return p
        return None

    def bill(self):
        """Total fee per patient label, for every appointment whose patient is known."""
        totals = {}
        for a in self.appointments:
            p = self.patient_by_id(a.patient_id)
            if p is None:
                continue
            key = p.label
            totals[key] = totals.get(key, 0.0) + float(a.fee)
        return totals

    def triage(self, arrivals):
        """Serve the most severe waiting patient after each arrival; ties go to the earliest."""
        waiting = []
        served = []
        for i, pid in enumerate(arrivals):
            p = self.patient_by_id(pid)
            waiting.append((-p.severity, i, p.pid))
            waiting.sort()
            if i % 2 == 1:
                served.append(waiting.pop(0)[2])
        while waiting:
            waiting.sort()
            served.append(waiting.pop(0)[2])
        return served

    def visits_per_patient(self):
        """(patient id, number of appointments) for every patient, in admission order."""
        out = []
        for p in self.patients:
            n = 0
            for a in self.appointments:
                if a.patient_id == p.pid:
                    n += 1
            out.append((p.pid, n))
        return out
