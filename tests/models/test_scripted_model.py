"""The scripted model behind `benchmarks/loop_speed.py`: an instant and a slow run must code
the same edits for the same plans, or the ratio of their times compares different work."""

from __future__ import annotations

import threading
import time
import urllib.request

from benchmarks.scripted_model import PlannerCoder, changed_functions
from tests.models.loopback import ScriptedServer, Step

BASE = "def a(x):\n    return x\n\n\ndef b(x):\n    return x\n\n\ndef c(x):\n    return x\n"


def edit(*names: str) -> dict:
    new = BASE
    for name in names:
        new = new.replace(f"def {name}(x):\n    return x", f"def {name}(x):\n    return x + 0")
    return {"title": f"edit {'+'.join(names)}", "text": "", "targets": ["m.py"],
            "files": {"m.py": new}, "original": {"m.py": BASE}}  # fmt: skip


def coder_ask(title: str) -> list[dict]:
    return [{"role": "user", "content": f"# Plan: {title}\nwrite the edit"}]


def test_changed_functions_names_only_what_the_edit_changes() -> None:
    assert changed_functions(edit("a", "c")) == {"a", "c"}
    assert changed_functions(edit()) == frozenset()


def test_an_opening_plan_gets_the_edit_of_its_functions_whatever_the_arrival_order() -> None:
    """Guards against the slow run's opening candidates swapping edits: the answer to a plan
    the model did not write was the next edit in line, so whichever concurrent request the
    server answered first got the combined edit."""
    plans = [edit("a", "b"), edit("a"), edit("b")]
    titles = ["speed up the hot function: b", "speed up the hottest code: a, b",
              "speed up the hot function: a"]  # fmt: skip
    for order in (titles, titles[::-1]):
        brain = PlannerCoder(plans)
        got = {t: brain.reply(coder_ask(t)) for t in order}
        assert "return x + 0" in got[titles[1]]
        assert got[titles[1]] == brain.reply(coder_ask(titles[1]))  # asked again: same edit
        assert brain.answered == {titles[0]: plans[2], titles[1]: plans[0], titles[2]: plans[1]}


def test_a_delayed_step_is_answered_in_arrival_order() -> None:
    """Guards against concurrent slow requests racing for a scripted answer: the body is
    decided when the request arrives, the delay only holds it back."""
    count = iter(range(1, 10))
    server = ScriptedServer()
    server.routes["/v1/chat/completions"] = Step(body=lambda _: {"n": next(count)}, delay_s=0.4)
    answers: dict[str, bytes] = {}

    def ask(name: str) -> None:
        req = urllib.request.Request(server.url + "/v1/chat/completions", data=b"{}", method="POST")
        with urllib.request.urlopen(req, timeout=5) as resp:
            answers[name] = resp.read()

    try:
        first = threading.Thread(target=ask, args=("first",))
        first.start()
        while not server.seen:
            time.sleep(0.01)
        time.sleep(0.05)  # its body is decided just after it is seen
        second = threading.Thread(target=ask, args=("second",))
        second.start()
        first.join()
        second.join()
    finally:
        server.close()
    assert answers == {"first": b'{"n": 1}', "second": b'{"n": 2}'}
