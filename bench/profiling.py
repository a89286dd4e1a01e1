"""Sampling the server's workers with py-spy while the load runs, and summarising the stacks.

py-spy is not a project dependency; see bench/README.md for installing it.
"""

import contextlib
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from layout import BIN, RESULTS_DIR
from proc_cpu import cmdline, tree_cpu


def worker_pids(server_pid: int) -> list[int]:
    """The server's worker processes: its descendants other than the master and multiprocessing's
    resource tracker (uvicorn starts its workers with the spawn method)."""
    return sorted(pid for pid in tree_cpu(server_pid) if pid != server_pid and "resource_tracker" not in cmdline(pid))


@contextlib.contextmanager
def profiling(server_pid: int, target, enabled: bool):
    """Sample one worker with py-spy (installed separately) while the block runs; the collapsed stacks
    go to bench/results/ and a summary of where the time went is printed."""
    if not enabled:
        yield
        return
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    spies, outputs = [], []
    for number, worker in enumerate(worker_pids(server_pid), 1):
        out = RESULTS_DIR / f"profile-{target.app}-{target.db}-{target.server}-worker{number}.txt"
        command = [
            str(BIN / "py-spy"),
            "record",
            "--pid",
            str(worker),
            "--rate",
            "200",
            "--nonblocking",
            "--gil",
            "--format",
            "raw",
            "--output",
            str(out),
        ]
        spies.append(subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        outputs.append(out)
    time.sleep(1)
    try:
        yield
    finally:
        for spy in spies:
            spy.send_signal(signal.SIGINT)
            spy.wait(30)
    print(profile_summary(outputs), file=sys.stderr)


def _frame_function(frame: str) -> str:
    # "get_response (django/core/handlers/base.py:140)" -> "get_response (django/core/handlers/base.py)"
    name, _, location = frame.partition(" (")
    return f"{name} ({location.rsplit(':', 1)[0]})" if location else name


def profile_summary(paths: list[Path], top: int = 50) -> str:
    """Inclusive share of samples per function. py-spy samples only threads that are running (no
    --idle), so the shares are of CPU time."""
    inclusive, total = Counter(), 0
    for path in paths:
        for line in path.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            total += int(count)
            for function in {_frame_function(frame) for frame in stack.split(";")}:
                inclusive[function] += int(count)
    lines = [f"  profile: {total} samples of running threads in {len(paths)} workers ({paths[0].name} …)"]
    lines += [f"  {100 * n / max(total, 1):5.1f}%  {name}" for name, n in inclusive.most_common(top)]
    lines += ["  charged to the innermost CareDesk function on the stack:"]
    lines += [f"  {100 * n / max(total, 1):5.1f}%  {name}" for name, n in _by_caredesk_frame(paths).most_common(25)]
    return "\n".join(lines)


def _by_caredesk_frame(paths: list[Path]) -> Counter:
    """Charge each sample to the deepest frame in caredesk/ code: what our code spends, including the
    library calls it makes. Samples outside any CareDesk frame are charged to the server stack."""
    owners = Counter()
    for path in paths:
        for line in path.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            ours = [frame for frame in stack.split(";") if "(caredesk/" in frame and "Middleware" not in frame]
            owners[_frame_function(ours[-1]) if ours else "(server, framework, middleware)"] += int(count)
    return owners
