"""Workload: a four-day conference with 28 rooms, 600 speakers and 1400 proposed talks.

Every talk asks for a preferred start; the scheduler finds a room or refuses it. Refused talks
get one more try an hour later, a few bookings are cancelled, then the full agenda and a report
are produced. Deterministic (fixed seed); prints a summary of results, never timings.
"""

from __future__ import annotations

import hashlib
import random
from collections import Counter

from confsched import Agenda, Conference, Report, Room, SchedulingError, Slot, Speaker, Talk

TRACKS = ["data", "devops", "frontend", "python", "security", "keynote"]
FEATURES = ["projector", "stream", "recording", "wheelchair", "whiteboard"]
WORDS = ["scaling", "async", "types", "café", "caching", "tests", "rust", "graphs", "zero-copy",
         "pipelines", "naïve", "kernels", "observability", "schemas", "queues", "edge"]
FIRST = ["Ana", "Bo", "Chloé", "Dmitri", "Eun-ji", "Femi", "Gustav", "Hana", "Ivo", "Jürgen",
         "Kai", "Lena", "Mateo", "Nia", "Oskar", "Priya", "Quinn", "Rosa", "Søren", "Tomás",
         "Umar", "Vera", "Wen", "Ximena", "Yusuf", "Zoë", "Aiko", "Björn", "Carmen", "Dev"]
LAST = ["Adeyemi", "Berg", "Castro", "Dubois", "Eriksen", "Fischer", "Gómez", "Huang", "Ito",
        "Jansen", "Kowalski", "Larsen", "Müller", "Novak", "Okafor", "Petrov", "Quist", "Rossi",
        "Sato", "Tanaka", "Ueda", "Vargas", "Weber", "Xu", "Yilmaz", "Zhou", "Álvarez", "Brandt",
        "Cohen", "Diallo", "Evans"]


def clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def build(rng: random.Random) -> tuple[Conference, list[tuple[str, int, str, str]]]:
    conf = Conference("PyConf", days=4, opens="08:30", closes="18:30")
    for number in range(28):
        capacity = rng.choice([30, 40, 60, 80, 120, 150, 200, 300, 500])
        features = rng.sample(FEATURES, rng.randint(2, 5))
        conf.add_room(Room(f"Hall {number + 1:02d}", capacity, features))
    names: list[str] = []
    while len(names) < 600:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if name not in names:
            names.append(name)
            conf.add_speaker(Speaker(name, max_talks=rng.randint(2, 7)))
    requests = []
    for number in range(1400):
        speakers = rng.sample(names, 1 if rng.random() < 0.8 else rng.randint(2, 3))
        title = " ".join(rng.sample(WORDS, 3)).capitalize()
        needs = rng.sample(FEATURES, rng.choice([0, 0, 0, 1, 1, 2]))
        audience = int(rng.triangular(8, 260, 30))
        talk = Talk(f"T{number:04d}", title, speakers, audience, needs, rng.choice(TRACKS))
        conf.add_talk(talk)
        start = 510 + 15 * rng.randrange(36)
        length = rng.choice([30, 30, 45, 45, 60, 90])
        requests.append((talk.talk_id, rng.randint(1, 4), clock(start), clock(start + length)))
    return conf, requests


def main() -> None:
    rng = random.Random(7)
    conf, requests = build(rng)
    refused: Counter[str] = Counter()
    retry = []
    for talk_id, day, start, end in requests:
        try:
            conf.schedule(talk_id, Slot(day, start, end))
        except SchedulingError as exc:
            refused[exc.reason] += 1
            retry.append((talk_id, day, start, end))
    second: Counter[str] = Counter()
    for talk_id, day, start, end in retry:
        later = (clock(int(start[:2]) * 60 + int(start[3:]) + 60),
                 clock(int(end[:2]) * 60 + int(end[3:]) + 60))
        try:
            conf.schedule(talk_id, Slot(day, *later))
        except SchedulingError as exc:
            second[exc.reason] += 1
    cancelled = [conf.cancel(b.talk_id) for b in conf.bookings[::37]]
    agenda = Agenda(conf)
    text = agenda.render()
    report = Report(conf, refused + second)
    gaps = [agenda.free_gaps(room.name, day) for room in conf.rooms for day in range(1, 5)]
    busiest = report.busiest_speakers(5)
    lines = report.lines()
    for line in lines:
        print(line)
    print(f"first pass refused {dict(sorted(refused.items()))}")
    print(f"second pass refused {dict(sorted(second.items()))}, cancelled {len(cancelled)}")
    print(f"busiest speakers {busiest}")
    print(f"agenda {len(text.splitlines())} lines, {sum(map(len, gaps))} free gaps")
    results = (lines, text, gaps, busiest, [repr(b) for b in conf.bookings], cancelled)
    digest = hashlib.sha256(repr(results).encode()).hexdigest()[:16]
    print(f"sha256 {digest}")


if __name__ == "__main__":
    main()
