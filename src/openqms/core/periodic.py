"""Periodic jobs that `openqms tick` runs (schedule it every few minutes with cron or a
systemd timer). Modules register theirs; each job does its own transactions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[], str]  # returns one line saying what it did


_jobs: dict[str, Job] = {}


def register(name: str, run: Callable[[], str]) -> None:
    _jobs[name] = Job(name, run)


def jobs() -> list[Job]:
    return [_jobs[name] for name in sorted(_jobs)]
