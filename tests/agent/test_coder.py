"""LLMCoder driven by the replay model: blocks applied, failures re-asked, refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.exceptions import BudgetExhausted, ModelAuthError
from agent.llm.coder import CoderConfig, LLMCoder
from agent.models.replay import ReplayModel
from agent.protocols import CodeRequest, Message, Plan, Task

SOURCES = {
    "pkg/core.py": (
        "def slow_sum(xs):\n"
        "    acc = 0\n"
        "    for x in xs:\n"
        "        acc += x\n"
        "    return acc\n"
        "\n"
        "\n"
        "def count(xs, y):\n"
        "    return len([x for x in xs if x == y])\n"
    ),
    "pkg/io.py": "def read(path):\n    with open(path) as f:\n        return f.read()\n",
}
TASK = Task(task_id="t", repo=Path("/nonexistent"), bench="python bench.py", test="pytest -q")
PLAN = Plan(
    title="Use the builtin sum in slow_sum",
    text="slow_sum is 80 % of samples; replace the Python loop with sum().",
    source="test",
    targets=("pkg/core.py:slow_sum",),
)
REQUEST = CodeRequest(task=TASK, plan=PLAN, sources=SOURCES)


def text_of(messages: list[Message]) -> str:
    return "\n".join(m.content for m in messages)


def blocks(*items: tuple[str, str, str]) -> str:
    out = []
    for path, search, replace in items:
        out.append(
            f"{path}\n```python\n<<<<<<< SEARCH\n{search}=======\n{replace}>>>>>>> REPLACE\n```"
        )
    return "I will do it.\n\n" + "\n\n".join(out)


GOOD = blocks(
    (
        "pkg/core.py",
        "    acc = 0\n    for x in xs:\n        acc += x\n    return acc\n",
        "    return sum(xs)\n",
    )
)
WRONG = blocks(
    (
        "pkg/core.py",
        "    total = 0\n    for x in xs:\n        total += x\n    return total\n",
        "    return sum(xs)\n",
    )
)
COUNT = blocks(
    ("pkg/core.py", "    return len([x for x in xs if x == y])\n", "    return xs.count(y)\n")
)


def test_one_reply_gives_whole_file_edit() -> None:
    model = ReplayModel([GOOD])
    edit = LLMCoder(model).code(REQUEST)
    assert edit.error == "" and edit.attempts == 1
    assert set(edit.files) == {"pkg/core.py"}
    assert edit.files["pkg/core.py"].startswith("def slow_sum(xs):\n    return sum(xs)\n\n\n")
    prompt = text_of(model.calls[0])
    assert PLAN.title in prompt and PLAN.text in prompt
    assert prompt.index("pkg/core.py") < prompt.index("pkg/io.py")  # targets first
    assert SOURCES["pkg/core.py"].rstrip() in prompt


def test_failed_block_is_reasked_with_the_closest_lines() -> None:
    model = ReplayModel(
        [
            blocks(
                (
                    "pkg/core.py",
                    "    return len([x for x in xs if x == y])\n",
                    "    return xs.count(y)\n",
                )
            )
            + "\n\n"
            + WRONG.split("\n\n", 1)[1],
            GOOD,
        ]
    )
    edit = LLMCoder(model).code(REQUEST)
    assert edit.error == "" and edit.attempts == 2
    text = edit.files["pkg/core.py"]
    assert "return sum(xs)" in text and "return xs.count(y)" in text
    feedback = model.calls[1][-1].content
    assert "assistant" not in [m.role for m in model.calls[1]]  # no whole reply sent back
    assert model.calls[1][:-1] == model.calls[0]  # the cached prefix, then the feedback
    assert "1 SEARCH/REPLACE block(s) failed" in feedback
    assert "Did you mean to match these actual lines" in feedback
    assert "    acc = 0\n    for x in xs:\n        acc += x" in feedback
    assert "These block(s) applied and are kept: do not send them again." in feedback
    assert "- pkg/core.py: the block starting `return len([x for x in xs if x == y])`" in feedback


def test_resending_an_applied_block_does_not_fail() -> None:
    both = blocks(
        ("pkg/core.py", "    return len([x for x in xs if x == y])\n", "    return xs.count(y)\n"),
        (
            "pkg/core.py",
            "    acc = 0\n    for x in xs:\n        acc += x\n    return acc\n",
            "    return sum(xs)\n",
        ),
    )
    model = ReplayModel([COUNT + "\n\n" + WRONG.split("\n\n", 1)[1], both])
    edit = LLMCoder(model).code(REQUEST)
    assert edit.error == "" and edit.attempts == 2


def test_reasks_are_bounded_and_nothing_partial_is_returned() -> None:
    """Guards against endless re-asking (aider#770) and partial application (aider#588)."""
    model = ReplayModel([COUNT + "\n\n" + WRONG.split("\n\n", 1)[1]] + [WRONG] * 9)
    edit = LLMCoder(model, CoderConfig(max_reasks=3)).code(REQUEST)
    assert edit.attempts == 4 and model.remaining == 6
    assert edit.files == {}
    assert edit.error.startswith("edit failed after 4 attempts: block 1 (pkg/core.py)")


def test_edits_to_protected_files_are_refused() -> None:
    bad = blocks(("tests/test_core.py", "def test_x():\n", "def test_x():  # changed\n"))
    model = ReplayModel([bad] * 4)
    edit = LLMCoder(model).code(REQUEST)
    assert edit.files == {} and edit.attempts == 4
    assert "edit refused: tests/test_core.py is not an editable file" in edit.error
    assert "not an editable file" in model.calls[1][-1].content


def test_malformed_reply_is_reasked_with_the_parse_error() -> None:
    model = ReplayModel(["pkg/core.py\n<<<<<<< SEARCH\n    acc = 0\n>>>>>>> REPLACE\n", GOOD])
    edit = LLMCoder(model).code(REQUEST)
    assert edit.attempts == 2 and "return sum(xs)" in edit.files["pkg/core.py"]
    assert "could not be parsed" in model.calls[1][-1].content
    assert "expected =======" in model.calls[1][-1].content


def test_syntax_error_is_reasked_with_the_broken_lines() -> None:
    broken = blocks(("pkg/core.py", "    return acc\n", "    return acc +\n"))
    fix = blocks(("pkg/core.py", "    return acc +\n", "    return acc\n"))
    model = ReplayModel([broken + "\n\n" + COUNT.split("\n\n", 1)[1], fix])
    edit = LLMCoder(model).code(REQUEST)
    assert edit.error == "" and edit.attempts == 2
    assert edit.files["pkg/core.py"].count("return acc\n") == 1
    feedback = model.calls[1][-1].content
    assert "no longer parses" in feedback and "SyntaxError" in feedback
    assert "Current text of pkg/core.py" in feedback


def test_edit_that_changes_nothing_is_an_error() -> None:
    same = blocks(("pkg/io.py", "def read(path):\n", "def read(path):\n"))
    edit = LLMCoder(ReplayModel([same])).code(REQUEST)
    assert edit.error == "the edit changes nothing"


def test_model_failure_becomes_an_edit_error() -> None:
    edit = LLMCoder(ReplayModel([{"raise": "error", "message": "overloaded"}])).code(REQUEST)
    assert edit.error.startswith("model failed:") and edit.files == {}


@pytest.mark.parametrize(
    ("reply", "error"),
    [({"raise": "auth", "message": "bad key"}, ModelAuthError), (None, BudgetExhausted)],
)
def test_auth_and_budget_errors_propagate(reply: dict | None, error: type) -> None:
    model = ReplayModel([reply] if reply else [])
    with pytest.raises(error):
        LLMCoder(model).code(REQUEST)


def test_files_the_plan_does_not_name_are_mapped_not_shown() -> None:
    """Guards against a coder prompt padded with unrelated files up to its budget (121-148 k
    characters on sympy when the target file was 36 k): other files are a map line."""
    big = {"pkg/core.py": SOURCES["pkg/core.py"], "pkg/big.py": "x = 1\n" * 4000}
    model = ReplayModel([GOOD])
    LLMCoder(model).code(CodeRequest(task=TASK, plan=PLAN, sources=big))
    prompt = text_of(model.calls[0])
    assert "# Other editable files (a map" in prompt and "pkg/big.py (4,000 lines)" in prompt
    assert "x = 1\nx = 1" not in prompt


def test_prompt_puts_the_stable_prefix_first_for_the_cache() -> None:
    """System prompt, then files, then the plan, each marked for the prompt cache, so the
    re-asks of the edit loop read the files from the provider's cache instead of paying again."""
    model = ReplayModel([WRONG, GOOD])
    LLMCoder(model).code(REQUEST)
    first, second = model.calls
    assert [m.role for m in first] == ["system", "user", "user"]
    assert [m.cache for m in first] == [True, True, True]
    assert first[1].content.startswith("# Files") and "def slow_sum" in first[1].content
    assert first[2].content.startswith("# Plan: " + PLAN.title)
    assert second[:3] == first and not second[3].cache


def test_a_malformed_reply_is_quoted_only_around_the_error() -> None:
    """Guards against a junk reply sent back whole (it overflowed a local model's context)."""
    junk = "\n".join(f"thinking step {i} about the loop" for i in range(2000))
    bad = junk + "\npkg/core.py\n```python\n<<<<<<< SEARCH\n    acc = 0\n>>>>>>> REPLACE\n```"
    model = ReplayModel([bad, GOOD])
    edit = LLMCoder(model).code(REQUEST)
    assert edit.error == "" and edit.attempts == 2
    feedback = model.calls[1][-1].content
    assert "expected =======" in feedback and "<<<<<<< SEARCH" in feedback
    assert "2003 | <<<<<<< SEARCH" in feedback and "thinking step" not in feedback
    assert len(feedback) < 1000


def test_a_plan_naming_no_function_gets_the_profiles_hot_one_in_a_large_file() -> None:
    """Without targets the coder falls back on the shares the planner put in the plan: the
    hot function's window, not the first thousands of lines of the file."""
    filler = "".join(f"def f{i}(x):\n    return x + {i}\n\n\n" for i in range(1500))
    big = filler + "def hot(xs):\n    return sorted(xs)[0]\n"
    plan = Plan(
        "Use min",
        "Take the minimum without sorting.",
        "m",
        data={"hot": [{"path": "pkg/big.py", "function": "hot", "share": 0.8}]},
    )
    model = ReplayModel(
        [blocks(("pkg/big.py", "    return sorted(xs)[0]\n", "    return min(xs)\n"))]
    )
    edit = LLMCoder(model).code(CodeRequest(task=TASK, plan=plan, sources={"pkg/big.py": big}))
    assert edit.error == "" and edit.files["pkg/big.py"].endswith("    return min(xs)\n")
    code = model.calls[0][1].content
    assert "def hot(xs):" in code and "def f3(x)" not in code
