"""Printable schedules: one per room and one per speaker."""

from __future__ import annotations

from confsched.conference import Conference
from confsched.model import Booking, format_time, parse_time


def _chronological(booking: Booking) -> tuple[int, int, str]:
    return (booking.slot.day, booking.slot.start_minutes, booking.talk_id)


class Agenda:
    def __init__(self, conference: Conference, title_width: int = 40) -> None:
        if title_width < 8:
            raise ValueError("titles need at least 8 columns")
        self.conference = conference
        self.title_width = title_width

    def room_schedule(self, room_name: str) -> list[Booking]:
        self.conference.room(room_name)
        entries = [b for b in self.conference.bookings if b.room_name == room_name]
        entries.sort(key=_chronological)
        return entries

    def speaker_schedule(self, name: str) -> list[Booking]:
        self.conference.speaker(name)
        entries = self.conference.bookings_for_speaker(name)
        entries.sort(key=_chronological)
        return entries

    def free_gaps(self, room_name: str, day: int, shortest: int = 30) -> list[tuple[str, str]]:
        """Stretches of at least ``shortest`` minutes when the room is open and unused."""
        gaps: list[tuple[str, str]] = []
        cursor = parse_time(self.conference.opens)
        for booking in self.room_schedule(room_name):
            if booking.slot.day != day:
                continue
            if booking.slot.start_minutes - cursor >= shortest:
                gaps.append((format_time(cursor), format_time(booking.slot.start_minutes)))
            cursor = max(cursor, booking.slot.end_minutes)
        closes = parse_time(self.conference.closes)
        if closes - cursor >= shortest:
            gaps.append((format_time(cursor), format_time(closes)))
        return gaps

    def _line(self, booking: Booking, show_room: bool) -> str:
        talk = self.conference.talk(booking.talk_id)
        title = talk.title
        if len(title) > self.title_width:
            title = title[: self.title_width - 1] + "…"
        where = f" {booking.room_name:<10}" if show_room else ""
        return (f"  {booking.slot.label:<18}{where} {title:<{self.title_width}} "
                f"[{talk.track}] {', '.join(talk.speakers)}")

    def render_room(self, room_name: str) -> str:
        room = self.conference.room(room_name)
        entries = self.room_schedule(room_name)
        lines = [f"== {room.label}: {len(entries)} talks =="]
        lines.extend(self._line(booking, show_room=False) for booking in entries)
        return "\n".join(lines)

    def render_speaker(self, name: str) -> str:
        entries = self.speaker_schedule(name)
        minutes = sum(booking.slot.duration for booking in entries)
        lines = [f"-- {name}: {len(entries)} talks, {minutes} min on stage --"]
        lines.extend(self._line(booking, show_room=True) for booking in entries)
        return "\n".join(lines)

    def render(self) -> str:
        parts = [self.render_room(room.name) for room in self.conference.rooms]
        for speaker in self.conference.speakers:
            if self.conference.speaker_load(speaker.name):
                parts.append(self.render_speaker(speaker.name))
        return "\n\n".join(parts)
