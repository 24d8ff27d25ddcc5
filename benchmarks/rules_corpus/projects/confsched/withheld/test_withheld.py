import random

import pytest

from confsched import (
    Agenda,
    Conference,
    Report,
    Room,
    SchedulingError,
    Slot,
    Speaker,
    Talk,
    format_time,
    parse_time,
)

FEATURES = ["projector", "stream", "ramp"]


def hhmm(minutes):
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


class BruteForce:
    """A straightforward re-statement of the booking rules over plain tuples."""

    def __init__(self, conf):
        self.conf = conf
        self.booked = []  # (talk_id, room_name, day, start, end) in booking order

    def overlaps(self, a, b):
        return a[0] == b[0] and a[1] < b[2] and b[1] < a[2]

    def room_busy(self, room_name, when):
        return any(r == room_name and self.overlaps(when, (d, s, e))
                   for _, r, d, s, e in self.booked)

    def speaker_rows(self, name):
        rows = []
        for talk in self.conf.talks:
            if name in talk.speakers:
                rows.extend(row for row in self.booked if row[0] == talk.talk_id)
        return rows

    def outcome(self, talk_id, when):
        talk = self.conf.talk(talk_id)
        candidates = sorted(self.conf.rooms, key=lambda r: (r.capacity, r.name))
        room = next((r for r in candidates if r.capacity >= talk.audience
                     and set(talk.needs) <= set(r.features)
                     and not self.room_busy(r.name, when)), None)
        if room is None:
            return "no-room"
        if any(row[0] == talk_id for row in self.booked):
            return "duplicate"
        day, start, end = when
        if not (1 <= day <= self.conf.days and parse_time(self.conf.opens) <= start
                and end <= parse_time(self.conf.closes)):
            return "hours"
        for name in talk.speakers:
            rows = self.speaker_rows(name)
            if len(rows) >= self.conf.speaker(name).max_talks:
                return "load"
            if any(self.overlaps(when, row[2:]) for row in rows):
                return "speaker"
        self.booked.append((talk_id, room.name, day, start, end))
        return room.name

    def attendance(self, day, step):
        curve = []
        moment = parse_time(self.conf.opens)
        while moment < parse_time(self.conf.closes):
            people = sum(self.conf.talk(t).audience for t, _, d, s, e in self.booked
                         if d == day and s <= moment < e)
            curve.append((hhmm(moment), people))
            moment += step
        return curve


def random_conference(rng, talks=160, speakers=25, rooms=7):
    conf = Conference("Rnd", days=3, opens="08:00", closes="18:00")
    for i in range(rooms):
        conf.add_room(Room(f"R{i}", rng.choice([20, 40, 40, 90, 150]),
                           rng.sample(FEATURES, rng.randint(0, 3))))
    names = [f"Spëaker {i}" for i in range(speakers)]
    for name in names:
        conf.add_speaker(Speaker(name, max_talks=rng.randint(2, 9)))
    for i in range(talks):
        conf.add_talk(Talk(f"x{i}", f"Talk {i}", rng.sample(names, rng.randint(1, 3)),
                           rng.randint(0, 110), rng.sample(FEATURES, rng.randint(0, 1))))
    return conf


def random_when(rng):
    start = 7 * 60 + 45 + 15 * rng.randrange(40)
    return rng.choice([1, 1, 2, 2, 3, 3, 4]), start, start + rng.choice([15, 30, 45, 60, 90])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_schedule_matches_brute_force(seed):
    rng = random.Random(seed)
    conf = random_conference(rng)
    model = BruteForce(conf)
    for step in range(500):
        talk_id = f"x{rng.randrange(160)}"
        when = random_when(rng)
        if step % 23 == 0 and model.booked:
            victim = model.booked.pop(rng.randrange(len(model.booked)))
            assert conf.cancel(victim[0]).talk_id == victim[0]
            continue
        expected = model.outcome(talk_id, when)
        slot = Slot(when[0], hhmm(when[1]), hhmm(when[2]))
        try:
            got = conf.schedule(talk_id, slot).room_name
        except SchedulingError as exc:
            got = exc.reason
        assert got == expected, (step, talk_id, when)
    assert [b.talk_id for b in conf.bookings] == [row[0] for row in model.booked]
    for speaker in conf.speakers:
        rows = model.speaker_rows(speaker.name)
        assert [b.talk_id for b in conf.bookings_for_speaker(speaker.name)] == [r[0] for r in rows]
        assert conf.speaker_load(speaker.name) == len(rows)
    for _ in range(200):
        when = random_when(rng)
        slot = Slot(when[0], hhmm(when[1]), hhmm(when[2]))
        room = f"R{rng.randrange(8)}"
        assert conf.is_booked(room, slot) == model.room_busy(room, when)
    report = Report(conf)
    for day in (1, 2, 3):
        assert report.attendance(day, 20) == model.attendance(day, 20)


def test_empty_conference():
    conf = Conference("Empty")
    report = Report(conf)
    agenda = Agenda(conf)
    assert report.peak_attendance == (0, 0, "")
    assert report.room_utilization == {}
    assert report.busiest_speakers() == []
    assert agenda.render() == ""
    assert report.lines() == ["Empty: 0/0 talks booked", "  peak attendance 0 on day 0 at -"]
    assert conf.speaker_load("anyone") == 0
    assert conf.bookings_for_speaker("anyone") == []
    assert not conf.is_booked("nowhere", Slot(1, "09:00", "10:00"))
    assert conf.booking_for("x") is None


def test_ties_prefer_names_and_earliest_moment():
    conf = Conference("Ties", days=2, opens="09:00", closes="12:00")
    conf.add_room(Room("Zeta", 50))
    conf.add_room(Room("Alpha", 50))
    for name in ["Bea", "Ann", "Cid"]:
        conf.add_speaker(Speaker(name))
    conf.add_talk(Talk("a", "One", ["Bea"], 40))
    conf.add_talk(Talk("b", "Two", ["Ann"], 40))
    conf.add_talk(Talk("c", "Three", ["Cid"], 40))
    assert conf.schedule("a", Slot(2, "09:00", "10:00")).room_name == "Alpha"
    assert conf.schedule("b", Slot(1, "10:00", "11:00")).room_name == "Alpha"
    assert conf.schedule("c", Slot(2, "09:30", "10:30")).room_name == "Zeta"
    report = Report(conf)
    assert report.peak_attendance == (80, 2, "09:30")
    conf.cancel("c")
    assert report.peak_attendance == (40, 1, "10:00")
    assert report.busiest_speakers(3) == [("Ann", 1), ("Bea", 1), ("Cid", 0)]
    assert report.busiest_speakers(0) == []


def test_unicode_duplicates_and_whitespace():
    conf = Conference("Zürich", days=1)
    conf.add_room(Room("  Salle Émile ", 100, [" Projector "]))
    conf.add_speaker(Speaker(" Zoë Łukasz "))
    talk = conf.add_talk(Talk("ü1", "Ünïcödé everywhere and a very long title indeed!",
                              ["Zoë Łukasz", " Zoë Łukasz"], 10, ["PROJECTOR"]))
    assert talk.speakers == ("Zoë Łukasz",)
    booking = conf.schedule("ü1", Slot(1, " 9:00", "10:00 "))
    assert booking.room_name == "Salle Émile"
    assert booking.slot.label == "day 1 9:00-10:00"
    assert conf.is_booked("Salle Émile", Slot(1, "09:59", "10:30"))
    agenda = Agenda(conf, title_width=12)
    text = agenda.render_speaker("Zoë Łukasz")
    assert "Ünïcödé eve…" in text
    assert text.startswith("-- Zoë Łukasz: 1 talks, 60 min on stage --")
    assert parse_time("٠٩:٣٠") == 570


def test_inputs_and_returned_lists_are_not_shared():
    names = ["Ann", "Bo"]
    needs = ["stream"]
    conf = Conference("Copies", days=1)
    conf.add_room(Room("Hall", 50, ["stream"]))
    for name in names:
        conf.add_speaker(Speaker(name))
    conf.add_talk(Talk("t", "T", names, 5, needs))
    assert names == ["Ann", "Bo"] and needs == ["stream"]
    conf.schedule("t", Slot(1, "09:00", "10:00"))
    conf.bookings.clear()
    conf.talks.clear()
    conf.rooms.clear()
    conf.speakers.clear()
    assert len(conf.bookings) == 1 and len(conf.talks) == 1
    found = conf.bookings_for_speaker("Ann")
    found.clear()
    assert conf.speaker_load("Ann") == 1
    schedule = Agenda(conf).room_schedule("Hall")
    schedule.clear()
    assert [b.talk_id for b in Agenda(conf).room_schedule("Hall")] == ["t"]


def test_bad_input_raises():
    for bad in ["24:00", "12:60", "1200", "", "ab:cd", "-1:30", "12:5"]:
        with pytest.raises(ValueError):
            parse_time(bad)
    with pytest.raises(TypeError):
        parse_time(930)
    for minutes in (-1, 1440):
        with pytest.raises(ValueError):
            format_time(minutes)
    with pytest.raises(ValueError):
        Slot(0, "09:00", "10:00")
    with pytest.raises(ValueError):
        Slot(-2, "09:00", "10:00")
    with pytest.raises(ValueError):
        Slot(1, "10:00", "10:00")
    with pytest.raises(ValueError):
        Room("Hall", 0)
    with pytest.raises(ValueError):
        Room("  ", 10)
    with pytest.raises(ValueError):
        Talk("t", "T", [], 10)
    with pytest.raises(ValueError):
        Talk("t", "T", ["A"], -5)
    with pytest.raises(ValueError):
        Speaker("A", max_talks=0)
    with pytest.raises(ValueError):
        Conference("C", days=0)
    with pytest.raises(ValueError):
        Conference("C", opens="18:00", closes="08:00")
    conf = Conference("C")
    with pytest.raises(ValueError):
        Agenda(conf, title_width=3)
    with pytest.raises(KeyError):
        Agenda(conf).room_schedule("nowhere")
    with pytest.raises(KeyError):
        Agenda(conf).speaker_schedule("nobody")
    with pytest.raises(ValueError):
        Report(conf).attendance(1, step=0)
    with pytest.raises(ValueError):
        Report(conf).busiest_speakers(-1)
    with pytest.raises(KeyError):
        conf.schedule("missing", Slot(1, "09:00", "10:00"))


def test_check_order_of_refusals():
    conf = Conference("Order", days=1, opens="09:00", closes="12:00")
    conf.add_room(Room("Tiny", 10))
    conf.add_room(Room("Lab", 100, ["stream"]))
    conf.add_speaker(Speaker("Ann", max_talks=1))
    conf.add_talk(Talk("a", "A", ["Ann"], 50, ["stream"]))
    conf.add_talk(Talk("b", "B", ["Ann"], 5))
    with pytest.raises(SchedulingError) as info:
        conf.book("a", "Tiny", Slot(1, "09:00", "10:00"))
    assert info.value.reason == "capacity"
    conf.room("Tiny").capacity = 60
    with pytest.raises(SchedulingError) as info:
        conf.book("a", "Tiny", Slot(1, "09:00", "10:00"))
    assert info.value.reason == "equipment"
    with pytest.raises(SchedulingError) as info:
        conf.book("a", "Lab", Slot(2, "09:00", "10:00"))
    assert info.value.reason == "hours"
    conf.book("a", "Lab", Slot(1, "09:00", "10:00"))
    with pytest.raises(SchedulingError) as info:
        conf.schedule("a", Slot(1, "09:30", "10:00"))
    assert info.value.reason == "no-room"
    with pytest.raises(SchedulingError) as info:
        conf.schedule("a", Slot(1, "10:00", "11:00"))
    assert info.value.reason == "duplicate"
    with pytest.raises(SchedulingError) as info:
        conf.book("b", "Lab", Slot(1, "09:30", "10:00"))
    assert info.value.reason == "room"
    with pytest.raises(SchedulingError) as info:
        conf.book("b", "Tiny", Slot(1, "09:30", "10:00"))
    assert info.value.reason == "load"
    with pytest.raises(KeyError):
        conf.book("b", "Attic", Slot(1, "10:00", "11:00"))


def test_mutating_objects_between_calls():
    conf = Conference("Live", days=1, opens="09:00", closes="17:00")
    small = conf.add_room(Room("Small", 20))
    conf.add_room(Room("Large", 200))
    ann = conf.add_speaker(Speaker("Ann", max_talks=1))
    talk = conf.add_talk(Talk("a", "A", ["Ann"], 50))
    conf.add_talk(Talk("b", "B", ["Ann"], 10))
    slot = Slot(1, "09:00", "10:00")
    assert conf.room_for("a", slot).name == "Large"
    small.capacity = 80
    assert conf.room_for("a", slot).name == "Small"
    talk.audience = 150
    assert conf.room_for("a", slot).name == "Large"
    conf.schedule("a", slot)
    report = Report(conf)
    assert report.peak_attendance == (150, 1, "09:00")
    talk.audience = 70
    assert report.peak_attendance == (70, 1, "09:00")
    with pytest.raises(SchedulingError) as info:
        conf.schedule("b", Slot(1, "11:00", "12:00"))
    assert info.value.reason == "load"
    ann.max_talks = 2
    probe = Slot(1, "09:30", "10:00")
    with pytest.raises(SchedulingError) as info:
        conf.schedule("b", probe)
    assert info.value.reason == "speaker"
    probe.start, probe.end = "10:00", "10:30"
    assert conf.schedule("b", probe).room_name == "Small"
    assert conf.speaker_load("Ann") == 2
    conf.cancel("a")
    assert conf.speaker_load("Ann") == 1
    assert not conf.is_booked("Large", Slot(1, "09:00", "10:00"))
    assert conf.schedule("a", Slot(1, "09:00", "10:00")).room_name == "Small"
    assert [b.talk_id for b in Agenda(conf).speaker_schedule("Ann")] == ["a", "b"]
    assert [b.talk_id for b in conf.bookings] == ["b", "a"]
