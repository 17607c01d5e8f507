"""How often sitegen's processes look for garbage in reference cycles.

A build is a short process that makes hundreds of thousands of objects and keeps most of
them: the records of a big site (tens of thousands of files, each a tuple of tuples), the
tokens and contexts of each page. Python's cycle collector, by default, runs after every
700 new container objects and now and then walks every object alive: at 4,000 articles,
about a seventh of a one-article rebuild's time, spent finding almost nothing (the records
hold no cycle). Waiting for 100,000 new objects keeps the collector, which still frees
what cycles hold, but runs it about 140 times less often (docs/performance.md).

The worker processes that render articles keep Python's default thresholds: there the
policy saved no measurable time and cost about 7 MB in the largest of them. What a worker
holds once it has its job is set aside for good instead (``keep_for_good``).
"""

from __future__ import annotations

import gc

_FIRST_GENERATION = 100_000
"""New container objects between two collections of the youngest objects (default 700)."""
PYTHON_DEFAULT = gc.get_threshold()
"""The thresholds this process had before any policy: Python's own."""


def collect_less() -> None:
    """Apply the policy to this process (the older generations keep their thresholds)."""
    gc.set_threshold(_FIRST_GENERATION, *PYTHON_DEFAULT[1:])


def collect_as_usual() -> None:
    """Python's default, as a worker needs it (a forked one inherits the policy)."""
    gc.set_threshold(*PYTHON_DEFAULT)


def keep_for_good() -> None:
    """Set aside from the cycle collector what this process holds now: a worker's modules,
    compiled templates and job (under ``fork``, all it inherited) live as long as it. Its
    full passes then need not walk them again and again (they took about 0.5 ms of CPU per
    article of a clean build, and each pass wrote to inherited pages, which the kernel
    then copies)."""
    gc.freeze()
