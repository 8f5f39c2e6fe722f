"""The one background runner: the threads an app (or a CLI command) runs beside its requests.

Areas declare ``Task``s in their manifest: a long-running worker (the social dispatcher), or a
periodic job (refreshing subscribed calendar feeds). One-off jobs (a large network import) are
``submit``ted. The web app's lifespan owns one ``Runner``: it starts the tasks at start-up and
stops them, waiting a bounded time, at shutdown, so nothing is left running behind a closed app.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from juntos.clock import Clock
from juntos.settings import Settings

log = logging.getLogger("juntos.runner")


@dataclass(frozen=True)
class TaskContext:
    """What a task is given: the settings, the clock, and the event that says "stop now"."""

    settings: Settings
    clock: Clock
    stopping: threading.Event

    def sleep(self, seconds: float) -> bool:
        """Wait, waking early when asked to stop; True when the task should end."""
        return self.stopping.wait(seconds)


@dataclass(frozen=True, kw_only=True)
class Task:
    """Background work an area declares once, in its manifest.

    ``every``: seconds between runs of ``run`` (a periodic job); ``None``: ``run`` is a worker
    that loops until ``ctx.stopping`` is set. ``interval`` may read the settings instead (a
    value of 0 or less turns the task off); ``enabled`` may turn it off too.
    """

    name: str
    run: Callable[[TaskContext], None]
    every: float | None = None
    interval: Callable[[Settings], float] | None = None
    enabled: Callable[[Settings], bool] = field(default=lambda settings: True)

    def period(self, settings: Settings) -> float | None:
        return self.interval(settings) if self.interval is not None else self.every


class Runner:
    """Starts tasks in named daemon threads, runs one-off jobs, and stops them all."""

    def __init__(self, settings: Settings, clock: Clock, *, jobs: int = 2) -> None:
        self.settings = settings
        self.clock = clock
        self.stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self._pool = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="juntos-job")

    @property
    def context(self) -> TaskContext:
        return TaskContext(self.settings, self.clock, self.stopping)

    def start(self, tasks: Iterable[Task]) -> list[str]:
        """Start every enabled task; return the names of those started."""
        started = []
        for task in tasks:
            period = task.period(self.settings)
            if not task.enabled(self.settings) or (period is not None and period <= 0):
                continue
            target = self._worker(task) if period is None else self._periodic(task, period)
            thread = threading.Thread(target=target, name=f"juntos-{task.name}", daemon=True)
            thread.start()
            self._threads.append(thread)
            started.append(task.name)
        return started

    def submit(self, job: Callable[..., Any], *args: Any) -> Future[Any]:
        """Run a one-off job (an import) off the event loop and off the request."""
        return self._pool.submit(job, *args)

    def stop(self, timeout: float = 10) -> None:
        """Ask every task to stop and wait for each at most ``timeout`` seconds."""
        self.stopping.set()
        for thread in self._threads:
            thread.join(timeout)
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _worker(self, task: Task) -> Callable[[], None]:
        def run() -> None:
            try:
                task.run(self.context)
            except Exception:  # a worker that dies says so; the app keeps serving
                log.exception("Background task %s stopped with an error", task.name)
        return run

    def _periodic(self, task: Task, period: float) -> Callable[[], None]:
        def run() -> None:
            while not self.stopping.is_set():
                try:
                    task.run(self.context)
                except Exception:  # one failed round must not end the schedule
                    log.exception("Background task %s failed; next run in %ss",
                                  task.name, period)
                if self.stopping.wait(period):
                    return
        return run
