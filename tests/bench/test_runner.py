"""`make bench` prints every topic's figures: a topic that fails says so and the next one runs."""

import io
import sys
import threading
import types

import pytest

from bench.__main__ import run_topic, topics


@pytest.fixture
def two_topics(monkeypatch):
    def broken():
        yield "first_figure", 1
        raise RuntimeError("wrk timed out\non a busy machine")

    def fine():
        yield "other_figure", 2

    def stuck():
        yield "before_waiting", 3
        threading.Event().wait()  # a lock, a query or a load tool that never answers

    topics = (
        ("bench.broken_bench", broken),
        ("bench.fine_bench", fine),
        ("bench.stuck_bench", stuck),
    )
    for name, run in topics:
        module = types.ModuleType(name)
        module.run = run
        monkeypatch.setitem(sys.modules, name, module)


def test_a_failing_topic_keeps_its_figures_and_the_next_topic_runs(two_topics):
    out, err = io.StringIO(), io.StringIO()

    finished = [
        run_topic(topic, f"bench.{topic}_bench", out=out, err=err) for topic in ("broken", "fine")
    ]

    assert finished == [False, True]
    assert out.getvalue().splitlines() == [
        "first_figure: 1",
        "broken_failed: RuntimeError: wrk timed out on a busy machine",
        "other_figure: 2",
    ]
    assert "Traceback" in err.getvalue()


def test_every_topic_is_found():
    assert list(topics()) == ["dashboard", "http", "import", "pages", "reminders"]
    assert list(topics({"http"})) == ["http"]


def test_a_topic_that_hangs_is_stopped_and_the_next_topic_runs(two_topics):
    out, err = io.StringIO(), io.StringIO()

    finished = [
        run_topic("stuck", "bench.stuck_bench", out=out, err=err, limit=0.5),
        run_topic("fine", "bench.fine_bench", out=out, err=err),
    ]

    assert finished == [False, True]
    assert out.getvalue().splitlines() == [
        "before_waiting: 3",
        "stuck_failed: TopicTimeout: stopped: no end within the time limit",
        "other_figure: 2",
    ]
