"""A background task for the worker tests: it notes which process ran it, once per run."""

import os
import time
from pathlib import Path

from django_tasks import task

RENDEZVOUS_SECONDS = 60


@task(takes_context=True)
def probe(context, log_path: str, workers: int) -> int:
    """Append "<task id> <pid>" to the log, then wait until `workers` processes have run one.

    The wait makes the workers hold tasks at the same time, so they really compete for the
    queue; it gives up after a minute, and the test then fails on its own assertions.
    """
    with open(log_path, "a") as log:
        log.write(f"{context.task_result.id} {os.getpid()}\n")
    deadline = time.monotonic() + RENDEZVOUS_SECONDS
    while time.monotonic() < deadline:
        pids = {line.split()[1] for line in Path(log_path).read_text().splitlines()}
        if len(pids) >= workers:
            break
        time.sleep(0.05)
    return os.getpid()
