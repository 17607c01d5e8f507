"""Run one command as a fresh process: whole-process wall time and peak memory.

Peak memory is the larger of the child's own `ru_maxrss` (from `wait4`, exact for one
process, covering the descendants it waited for) and the largest sum of resident memory of
its whole process group seen by a sampler every 50 ms (what a worker pool adds up to).

CPU time counts every descendant: this process becomes their reaper (Linux's
`PR_SET_CHILD_SUBREAPER`), so one the command did not wait for (the fork server a build
starts for its PDF workers, and those workers) is waited for here once the command ends.
"""

from __future__ import annotations

import compileall
import ctypes
import functools
import os
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024
SAMPLE_SECONDS = 0.05
_PR_SET_CHILD_SUBREAPER = 36


@functools.cache
def _reap_orphans() -> None:
    """Make the command's orphaned descendants this process's children (see above)."""
    if ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER)")


def _children() -> set[int]:
    """This process's children, ended ones not reaped yet included (Linux's /proc)."""
    return {int(pid) for task in Path("/proc/self/task").glob("*/children")
            for pid in task.read_text().split()}


def _orphans_cpu(before: set[int]) -> float:
    """User plus system time of the orphans the command left (the children this process
    has gained since ``before``), once each has ended; an orphan's own orphans come to
    this process when it ends, and are waited for too. Other children are left alone."""
    cpu = 0.0
    while new := _children() - before:
        for pid in new:
            try:
                _, _, usage = os.wait4(pid, 0)
            except ChildProcessError:  # reaped meanwhile by whoever started it
                before.add(pid)
                continue
            cpu += usage.ru_utime + usage.ru_stime
    return cpu


def private_env(folder: Path) -> dict[str, str]:
    """Environment for a sitegen run whose build cache ($XDG_CACHE_HOME) and records of
    output folders ($XDG_STATE_HOME) live under ``folder``: deleting it makes the next
    build clean, and the user's own are left alone.

    sitegen's modules are compiled to bytecode first, as an installed package has them:
    with PYTHONDONTWRITEBYTECODE set (some shells and CI images set it) an editable
    install would otherwise compile every module again in every timed run."""
    _compile_sitegen()
    return {"XDG_CACHE_HOME": str(folder / "cache"), "XDG_STATE_HOME": str(folder / "state")}


@functools.cache
def _compile_sitegen() -> None:
    compileall.compile_dir(Path(__file__).resolve().parent.parent / "sitegen", quiet=1)


@dataclass(frozen=True)
class Measurement:
    seconds: float
    cpu_seconds: float
    """User plus system time of the process and all its descendants."""
    peak_mib: float
    returncode: int
    stderr: str


def _group_rss_kib(group: int) -> int:
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        # After the command name: state, ppid, pgrp, ... rss is the 22nd field after it.
        if int(fields[2]) == group:
            total += int(fields[21]) * PAGE_KIB
    return total


class _Sampler(threading.Thread):
    def __init__(self, group: int) -> None:
        super().__init__(daemon=True)
        self.group = group
        self.peak_kib = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(SAMPLE_SECONDS):
            self.peak_kib = max(self.peak_kib, _group_rss_kib(self.group))


def run(
    command: list[str],
    cwd: Path | None = None,
    sample: bool = True,
    env: dict[str, str] | None = None,
) -> Measurement:
    """Run `command` to completion; stdout is discarded, stderr kept for error reports."""
    _reap_orphans()
    before = _children()
    start = time.perf_counter()
    child = subprocess.Popen(
        command,
        cwd=cwd,
        env=None if env is None else {**os.environ, **env},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    sampler = _Sampler(child.pid)
    if sample:
        sampler.start()
    assert child.stderr is not None
    stderr = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    sampler.done.set()
    if sample:
        sampler.join()
    peak_kib = max(usage.ru_maxrss, sampler.peak_kib)
    cpu = usage.ru_utime + usage.ru_stime + _orphans_cpu(before)
    return Measurement(
        seconds, cpu, peak_kib / 1024, child.returncode, stderr.decode(errors="replace")
    )
