"""`make bench`: figures measured as ratios against a floor measured in the same run.

Each module ``bench/<topic>_bench.py`` has a function ``run()`` that yields ``(name, value)`` pairs;
this package prints them as ``name: value`` lines, one per figure, so a script can read them.
The machine is shared and noisy: every figure compares two things measured interleaved, best of
several runs, never an absolute time alone.
"""

import time


def best_of(function, repeat=5):
    """The fastest of ``repeat`` runs of ``function``, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - started)
    return best


def interleaved(functions, repeat=5):
    """Best time of each function, run in turns so that a noisy moment hits all of them alike."""
    best = [float("inf")] * len(functions)
    for _ in range(repeat):
        for index, function in enumerate(functions):
            started = time.perf_counter()
            function()
            best[index] = min(best[index], time.perf_counter() - started)
    return best
