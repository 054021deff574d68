import importlib
import os
import pkgutil
import signal
import sys
import traceback

import django


def topics(only=()):
    """The bench modules (``bench/<topic>_bench.py``) by topic name, in name order."""
    import bench

    found = {}
    for module_info in sorted(pkgutil.iter_modules(bench.__path__), key=lambda m: m.name):
        topic = module_info.name.removesuffix("_bench")
        if module_info.name.endswith("_bench") and (not only or topic in only):
            found[topic] = f"bench.{module_info.name}"
    return found


# How long a topic may take, in seconds, on a busy machine; then it stops and reports a failure
# instead of holding up the topics after it. The dashboard builds two boards (one of 200 schools).
TIME_LIMITS = {"dashboard": 2400, "http": 1500}
TIME_LIMIT = 900


class TopicTimeout(Exception):
    pass


def _time_is_up(signum, frame):
    # A query the topic is waiting for goes on in the database after the topic is stopped,
    # holding its locks (the next topic's ANALYZE waits for them): ask the server to cancel it.
    from django.db import connection

    raw = connection.connection
    cancel = getattr(raw, "cancel_safe", None) or getattr(raw, "interrupt", None)
    if cancel is not None:
        cancel()
    raise TopicTimeout("stopped: no end within the time limit")


def run_topic(topic, module_name, out=sys.stdout, err=sys.stderr, limit=None):
    """Print the figures of one topic. A failure, or running past ``limit`` seconds (by default
    the topic's entry in ``TIME_LIMITS``), is printed as ``<topic>_failed: ...`` with its
    traceback on ``err``; the figures printed before it stay, and the next topic still runs.
    Returns whether the topic finished."""
    from django.db import connection

    limit = limit or TIME_LIMITS.get(topic, TIME_LIMIT)
    # The timer interrupts the topic wherever it waits (a query, a load tool, a lock): the
    # exception runs its cleanup (rollback, stopping the server) on the way out.
    previous = signal.signal(signal.SIGALRM, _time_is_up)
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        module = importlib.import_module(module_name)
        for name, value in module.run():
            print(f"{name}: {value}", file=out, flush=True)
    except Exception as error:  # noqa: BLE001 (one topic's failure must not hide the others)
        traceback.print_exc(file=err)
        message = " ".join(str(error).split())[:300] or type(error).__name__
        print(f"{topic}_failed: {type(error).__name__}: {message}", file=out, flush=True)
        # A topic that failed inside a transaction may leave a broken connection behind; the
        # next topic starts on a fresh one.
        connection.close()
        return False
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return True


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnership.settings")
    django.setup()
    only = set(sys.argv[1:])
    found = topics(only)
    unknown = only - set(found)
    if unknown:
        print(f"unknown topics: {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    failed = [topic for topic, module in found.items() if not run_topic(topic, module)]
    if failed:
        print(f"bench_failed_topics: {', '.join(failed)}", flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
