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


def small_conference() -> Conference:
    conf = Conference("Demo", days=2, opens="09:00", closes="17:00")
    conf.add_room(Room("Big", 200, ["projector", "stream"]))
    conf.add_room(Room("Small", 30, ["projector"]))
    conf.add_room(Room("Medium", 80, ["projector"]))
    conf.add_speaker(Speaker("Ada", max_talks=2))
    conf.add_speaker(Speaker("Grace", max_talks=3))
    conf.add_talk(Talk("t1", "Compilers", ["Ada"], 25))
    conf.add_talk(Talk("t2", "Debugging", ["Grace"], 60))
    conf.add_talk(Talk("t3", "Streaming", ["Grace", "Ada"], 50, needs=["stream"]))
    conf.add_talk(Talk("t4", "Lambdas", ["Ada"], 20))
    return conf


def test_parse_and_format_time():
    assert parse_time("09:30") == 570
    assert parse_time("0:05") == 5
    assert format_time(570) == "09:30"
    with pytest.raises(ValueError):
        parse_time("25:00")
    with pytest.raises(ValueError):
        parse_time("nine")


def test_slot_overlap_rules():
    morning = Slot(1, "09:00", "10:00")
    assert morning.duration == 60
    assert morning.overlaps(Slot(1, "09:30", "10:30"))
    assert not morning.overlaps(Slot(1, "10:00", "11:00"))
    assert not morning.overlaps(Slot(2, "09:00", "10:00"))
    with pytest.raises(ValueError):
        Slot(1, "10:00", "09:00")


def test_registration_rejects_duplicates_and_unknown_speakers():
    conf = small_conference()
    with pytest.raises(ValueError):
        conf.add_room(Room("Big", 10))
    with pytest.raises(ValueError):
        conf.add_speaker(Speaker("Ada"))
    with pytest.raises(ValueError):
        conf.add_talk(Talk("t1", "Again", ["Ada"], 5))
    with pytest.raises(KeyError):
        conf.add_talk(Talk("t9", "Ghost", ["Nobody"], 5))
    assert [t.talk_id for t in conf.talks] == ["t1", "t2", "t3", "t4"]


def test_lookups():
    conf = small_conference()
    assert conf.talk("t2").title == "Debugging"
    assert conf.room("Medium").capacity == 80
    assert conf.speaker("Grace").max_talks == 3
    with pytest.raises(KeyError):
        conf.talk("missing")
    with pytest.raises(KeyError):
        conf.room("Attic")


def test_schedule_picks_smallest_suitable_room():
    conf = small_conference()
    assert conf.schedule("t1", Slot(1, "09:00", "10:00")).room_name == "Small"
    assert conf.schedule("t2", Slot(1, "09:00", "10:00")).room_name == "Medium"
    assert conf.schedule("t3", Slot(1, "11:00", "12:00")).room_name == "Big"
    assert conf.is_booked("Small", Slot(1, "09:30", "09:45"))
    assert not conf.is_booked("Small", Slot(1, "10:00", "10:30"))


def test_busy_room_moves_talk_or_refuses():
    conf = small_conference()
    conf.book("t2", "Big", Slot(1, "09:00", "10:00"))
    conf.book("t1", "Medium", Slot(1, "09:00", "10:00"))
    with pytest.raises(SchedulingError) as info:
        conf.schedule("t3", Slot(1, "09:30", "10:30"))
    assert info.value.reason == "no-room"
    with pytest.raises(SchedulingError) as info:
        conf.book("t4", "Medium", Slot(1, "09:15", "09:45"))
    assert info.value.reason == "room"


def test_speaker_clash_and_load():
    conf = small_conference()
    conf.schedule("t1", Slot(1, "09:00", "10:00"))
    with pytest.raises(SchedulingError) as info:
        conf.schedule("t4", Slot(1, "09:30", "10:00"))
    assert info.value.reason == "speaker"
    conf.schedule("t4", Slot(2, "09:00", "10:00"))
    assert conf.speaker_load("Ada") == 2
    with pytest.raises(SchedulingError) as info:
        conf.schedule("t3", Slot(2, "14:00", "15:00"))
    assert info.value.reason == "load"


def test_hours_and_duplicate_booking():
    conf = small_conference()
    with pytest.raises(SchedulingError) as info:
        conf.schedule("t1", Slot(1, "16:30", "17:30"))
    assert info.value.reason == "hours"
    conf.book("t1", "Big", Slot(1, "09:00", "10:00"))
    with pytest.raises(SchedulingError) as info:
        conf.book("t1", "Small", Slot(2, "09:00", "10:00"))
    assert info.value.reason == "duplicate"


def test_cancel_frees_room_and_speaker():
    conf = small_conference()
    conf.schedule("t1", Slot(1, "09:00", "10:00"))
    cancelled = conf.cancel("t1")
    assert cancelled.room_name == "Small"
    assert not conf.is_booked("Small", Slot(1, "09:00", "10:00"))
    assert conf.speaker_load("Ada") == 0
    assert conf.booking_for("t1") is None and not conf.is_scheduled("t1")
    with pytest.raises(KeyError):
        conf.cancel("t1")


def test_agenda_orders_by_time():
    conf = small_conference()
    conf.speaker("Ada").max_talks = 3
    conf.schedule("t4", Slot(2, "09:00", "09:30"))
    conf.schedule("t1", Slot(1, "13:00", "14:00"))
    conf.schedule("t3", Slot(1, "10:00", "11:00"))
    agenda = Agenda(conf)
    assert [b.talk_id for b in agenda.speaker_schedule("Ada")] == ["t3", "t1", "t4"]
    assert [b.talk_id for b in agenda.room_schedule("Small")] == ["t1", "t4"]
    text = agenda.render()
    assert "== Small (30 seats; projector): 2 talks ==" in text
    assert "-- Ada: 3 talks, 150 min on stage --" in text
    assert agenda.free_gaps("Small", 1) == [("09:00", "13:00"), ("14:00", "17:00")]


def test_report_figures():
    conf = small_conference()
    conf.schedule("t1", Slot(1, "09:00", "10:00"))
    conf.schedule("t2", Slot(1, "09:30", "10:30"))
    report = Report(conf, {"no-room": 2})
    assert report.peak_attendance == (85, 1, "09:30")
    assert report.room_utilization["Small"] == round(60 / (2 * 480), 4)
    assert report.busiest_speakers(2) == [("Ada", 1), ("Grace", 1)]
    lines = report.lines()
    assert lines[0] == "Demo: 2/4 talks booked"
    assert "  refused (no-room): 2" in lines
