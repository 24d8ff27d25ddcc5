"""The conference: registered rooms, speakers and talks, and the bookings made so far."""

from __future__ import annotations

from confsched.model import Booking, Room, Slot, Speaker, Talk, parse_time


class SchedulingError(Exception):
    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class Conference:
    def __init__(self, name: str, days: int = 1, opens: str = "08:00",
                 closes: str = "18:00") -> None:
        if days < 1:
            raise ValueError(f"a conference lasts at least one day, got {days}")
        if parse_time(closes) <= parse_time(opens):
            raise ValueError(f"the venue closes ({closes}) before it opens ({opens})")
        self.name = name
        self.days = days
        self.opens = opens
        self.closes = closes
        self._talks: list[Talk] = []
        self._rooms: list[Room] = []
        self._speakers: list[Speaker] = []
        self._bookings: list[Booking] = []

    def add_room(self, room: Room) -> Room:
        if any(existing.name == room.name for existing in self._rooms):
            raise ValueError(f"room {room.name!r} is already registered")
        self._rooms.append(room)
        return room

    def add_speaker(self, speaker: Speaker) -> Speaker:
        if any(existing.name == speaker.name for existing in self._speakers):
            raise ValueError(f"speaker {speaker.name!r} is already registered")
        self._speakers.append(speaker)
        return speaker

    def add_talk(self, talk: Talk) -> Talk:
        if any(existing.talk_id == talk.talk_id for existing in self._talks):
            raise ValueError(f"talk {talk.talk_id!r} is already registered")
        for name in talk.speakers:
            self.speaker(name)
        self._talks.append(talk)
        return talk

    def talk(self, talk_id: str) -> Talk:
        for talk in self._talks:
            if talk.talk_id == talk_id:
                return talk
        raise KeyError(f"unknown talk {talk_id!r}")

    def room(self, name: str) -> Room:
        for room in self._rooms:
            if room.name == name:
                return room
        raise KeyError(f"unknown room {name!r}")

    def speaker(self, name: str) -> Speaker:
        for speaker in self._speakers:
            if speaker.name == name:
                return speaker
        raise KeyError(f"unknown speaker {name!r}")

    @property
    def talks(self) -> list[Talk]:
        return list(self._talks)

    @property
    def rooms(self) -> list[Room]:
        return list(self._rooms)

    @property
    def speakers(self) -> list[Speaker]:
        return list(self._speakers)

    @property
    def bookings(self) -> list[Booking]:
        return list(self._bookings)

    @property
    def open_minutes(self) -> int:
        return parse_time(self.closes) - parse_time(self.opens)

    def booking_for(self, talk_id: str) -> Booking | None:
        for booking in self._bookings:
            if booking.talk_id == talk_id:
                return booking
        return None

    def is_scheduled(self, talk_id: str) -> bool:
        return self.booking_for(talk_id) is not None

    def is_booked(self, room_name: str, slot: Slot) -> bool:
        for booking in self._bookings:
            if booking.room_name == room_name and booking.slot.overlaps(slot):
                return True
        return False

    def bookings_for_speaker(self, name: str) -> list[Booking]:
        found: list[Booking] = []
        for talk in self._talks:
            if name not in talk.speakers:
                continue
            for booking in self._bookings:
                if booking.talk_id == talk.talk_id:
                    found.append(booking)
        return found

    def speaker_load(self, name: str) -> int:
        return len(self.bookings_for_speaker(name))

    def speaker_busy(self, name: str, slot: Slot) -> bool:
        return any(booking.slot.overlaps(slot) for booking in self.bookings_for_speaker(name))

    def within_hours(self, slot: Slot) -> bool:
        return (1 <= slot.day <= self.days and parse_time(self.opens) <= slot.start_minutes
                and slot.end_minutes <= parse_time(self.closes))

    def room_for(self, talk_id: str, slot: Slot) -> Room | None:
        """The smallest free room that seats the audience and has the equipment needed."""
        talk = self.talk(talk_id)
        for room in sorted(self._rooms, key=lambda r: (r.capacity, r.name)):
            if room.capacity < talk.audience or not room.supports(talk.needs):
                continue
            if not self.is_booked(room.name, slot):
                return room
        return None

    def check(self, talk_id: str, room_name: str, slot: Slot) -> None:
        talk = self.talk(talk_id)
        room = self.room(room_name)
        if self.is_scheduled(talk_id):
            raise SchedulingError("duplicate", f"{talk_id} is already on the agenda")
        if not self.within_hours(slot):
            raise SchedulingError("hours", f"{slot.label} is outside the opening hours")
        if room.capacity < talk.audience:
            raise SchedulingError("capacity", f"{room.name} seats {room.capacity}, "
                                              f"{talk_id} expects {talk.audience}")
        if not room.supports(talk.needs):
            missing = ", ".join(sorted(talk.needs - room.features))
            raise SchedulingError("equipment", f"{room.name} lacks {missing}")
        if self.is_booked(room.name, slot):
            raise SchedulingError("room", f"{room.name} is taken at {slot.label}")
        for name in talk.speakers:
            speaker = self.speaker(name)
            if self.speaker_load(name) >= speaker.max_talks:
                raise SchedulingError("load", f"{name} already gives {speaker.max_talks} talks")
            if self.speaker_busy(name, slot):
                raise SchedulingError("speaker", f"{name} is elsewhere at {slot.label}")

    def book(self, talk_id: str, room_name: str, slot: Slot) -> Booking:
        self.check(talk_id, room_name, slot)
        booking = Booking(talk_id, room_name, slot)
        self._bookings.append(booking)
        return booking

    def schedule(self, talk_id: str, slot: Slot) -> Booking:
        """Book the talk at ``slot`` in whichever room suits it best."""
        room = self.room_for(talk_id, slot)
        if room is None:
            raise SchedulingError("no-room", f"no free room fits {talk_id} at {slot.label}")
        return self.book(talk_id, room.name, slot)

    def cancel(self, talk_id: str) -> Booking:
        booking = self.booking_for(talk_id)
        if booking is None:
            raise KeyError(f"{talk_id!r} is not booked")
        self._bookings.remove(booking)
        return booking
