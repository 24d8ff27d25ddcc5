"""Summary figures about a conference once the bookings are in."""

from __future__ import annotations

from collections.abc import Mapping

from confsched.conference import Conference
from confsched.model import format_time, parse_time


class Report:
    def __init__(self, conference: Conference, rejections: Mapping[str, int] | None = None) -> None:
        self.conference = conference
        self.rejections = dict(rejections or {})

    @property
    def room_utilization(self) -> dict[str, float]:
        available = self.conference.days * self.conference.open_minutes
        usage: dict[str, float] = {}
        for room in self.conference.rooms:
            used = sum(booking.slot.duration for booking in self.conference.bookings
                       if booking.room_name == room.name)
            usage[room.name] = round(used / available, 4)
        return usage

    def attendance(self, day: int, step: int = 15) -> list[tuple[str, int]]:
        """People sitting in talks at every ``step`` minutes of the day."""
        if step <= 0:
            raise ValueError("step must be positive")
        curve: list[tuple[str, int]] = []
        moment = parse_time(self.conference.opens)
        while moment < parse_time(self.conference.closes):
            people = 0
            for booking in self.conference.bookings:
                slot = booking.slot
                if slot.day == day and slot.start_minutes <= moment < slot.end_minutes:
                    people += self.conference.talk(booking.talk_id).audience
            curve.append((format_time(moment), people))
            moment += step
        return curve

    @property
    def peak_attendance(self) -> tuple[int, int, str]:
        """(people, day, time) of the busiest moment; the earliest one wins a tie."""
        best = (0, 0, "")
        for day in range(1, self.conference.days + 1):
            for moment, people in self.attendance(day):
                if people > best[0]:
                    best = (people, day, moment)
        return best

    def busiest_speakers(self, count: int = 5) -> list[tuple[str, int]]:
        if count < 0:
            raise ValueError("count must not be negative")
        loads = [(speaker.name, self.conference.speaker_load(speaker.name))
                 for speaker in self.conference.speakers]
        loads.sort(key=lambda pair: (-pair[1], pair[0]))
        return loads[:count]

    def lines(self) -> list[str]:
        conf = self.conference
        out = [f"{conf.name}: {len(conf.bookings)}/{len(conf.talks)} talks booked"]
        for reason, number in sorted(self.rejections.items()):
            out.append(f"  refused ({reason}): {number}")
        people, day, start = self.peak_attendance
        out.append(f"  peak attendance {people} on day {day} at {start or '-'}")
        usage = self.room_utilization
        if usage:
            fullest = max(usage, key=lambda name: (usage[name], name))
            out.append(f"  fullest room {fullest} at {usage[fullest]:.1%}")
        return out
