"""CPU time of processes and of the whole machine, from /proc."""

import os
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[str, int, float] | None:
    """(command name, parent pid, CPU seconds) of a process, or None if it has gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    name = raw[raw.index("(") + 1 : raw.rindex(")")]
    fields = raw[raw.rindex(")") + 2 :].split()
    # After the name: state ppid ... utime is field 14 and stime field 15 of the whole line.
    return name, int(fields[1]), (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def _all_processes() -> dict[int, tuple[str, int, float]]:
    table = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (stat := _stat(int(entry))) is not None:
            table[int(entry)] = stat
    return table


def tree_cpu(root: int) -> dict[int, float]:
    """CPU seconds of `root` and every descendant, by pid."""
    table = _all_processes()
    pids, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, (_n, ppid, _c) in table.items() if ppid == parent]
        pids.update(children)
        frontier.extend(children)
    return {pid: table[pid][2] for pid in pids if pid in table}


def postgres_cpu(database_name: str) -> dict[int, float]:
    """CPU seconds of the PostgreSQL backends serving `database_name`, by pid: on one machine the
    database's work is part of each message's cost. Backends show the database in their title."""
    if not database_name:
        return {}
    cpu = {}
    for pid, (name, _ppid, seconds) in _all_processes().items():
        if name == "postgres" and f" {database_name} " in cmdline(pid):
            cpu[pid] = seconds
    return cpu


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def machine_busy() -> float:
    """CPU seconds spent by everything on the machine (all cores), from /proc/stat."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in fields[:8])
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS


def cpu_delta(before: dict[int, float], after: dict[int, float]) -> float:
    # A process that appeared mid-run (a restarted worker) counts from zero.
    return sum(after[pid] - before.get(pid, 0.0) for pid in after)
