"""Inbound API throughput, end to end over HTTP on 127.0.0.1.

For each combination of app (CareDesk, or the bare one-INSERT Django project in bench/bare), database
(a throwaway SQLite file or PostgreSQL database) and server mode (uvicorn ASGI as `caredesk serve`
runs it, or gunicorn with sync WSGI workers), this script builds a fresh database, migrates it,
creates an integration user and token, starts the server as a subprocess, warms it up, then sends a
fixed number of `POST /api/v1/messages/inbound` requests from a bounded number of keep-alive clients.

It reports messages per second, client-side latency percentiles, and CPU per message (utime + stime
from /proc, before and after the measured phase) of the server's processes, of the PostgreSQL
backends serving the bench database, of this load generator, which shares the machine, and of
everything else running meanwhile. Afterwards it checks that the number of stored messages equals
the number of 202 responses. Results go to bench/results/ as JSON.

Modules beside this one: workload (what is sent), loadgen (the HTTP client), servers (databases,
migration, token, server processes), proc_cpu (CPU accounting), profiling (py-spy, --profile).

    .venv/bin/python bench/inbound_throughput.py                      # everything
    .venv/bin/python bench/inbound_throughput.py --apps caredesk --dbs postgres --servers uvicorn
"""

import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from layout import RESULTS_DIR, ROOT
from loadgen import Phase, drive
from proc_cpu import cpu_delta, machine_busy, postgres_cpu, tree_cpu
from profiling import profiling
from servers import (
    app_env,
    database,
    free_port,
    pg_connections,
    prepare,
    production_keys,
    running_server,
    server_command,
)
from workload import build_requests


@dataclass
class Usage:
    phase: Phase
    server_cpu: float
    postgres_cpu: float
    other_cpu: float
    # Seconds per server process: shows whether the workers shared the load.
    server_cpu_by_process: dict[int, float] = field(default_factory=dict)
    accepted: int = 0
    pg_connections: str = ""


# --- One run ---------------------------------------------------------------------------------------------


@dataclass
class Target:
    app: str
    db: str
    server: str

    @property
    def label(self) -> str:
        return f"{self.app}/{self.db}/{self.server}"


def percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, int(fraction * len(sorted_values)))]


def summarize(target: Target, usage: Usage, stored: int) -> dict:
    phase = usage.phase
    ok = phase.statuses[202]
    seconds = phase.finished - phase.started
    latencies = sorted(phase.latencies)
    per_message = 1000 / ok if ok else float("nan")
    return {
        **asdict(target),
        "pg_connections": usage.pg_connections,
        "requests": phase.done,
        "accepted_202": ok,
        "statuses": {str(code): count for code, count in sorted(phase.statuses.items())},
        "failures": dict(phase.failures),
        "seconds": round(seconds, 3),
        "messages_per_second": round(ok / seconds, 1),
        "latency_ms": {
            name: round(percentile(latencies, q) * 1000, 2)
            for name, q in (("p50", 0.50), ("p95", 0.95), ("p99", 0.99), ("max", 1.0))
        },
        "server_cpu_ms_per_message": round(usage.server_cpu * per_message, 3),
        "postgres_cpu_ms_per_message": round(usage.postgres_cpu * per_message, 3) if target.db == "postgres" else None,
        "client_cpu_ms_per_message": round(phase.client_cpu * per_message, 3),
        # CPU used by unrelated processes during the run, as a share of both cores: above a few
        # percent, the figures are disturbed by something else on the machine.
        "other_cpu_percent": round(100 * usage.other_cpu / seconds / os.cpu_count(), 1),
        "server_cpu_seconds_by_process": {str(pid): cpu for pid, cpu in usage.server_cpu_by_process.items()},
        "stored_messages": stored,
        "accepted_202_all_phases": usage.accepted,
        "stored_matches_accepted": stored == usage.accepted,
    }


def run_target(target: Target, args, keys: dict) -> dict:
    print(f"\n== {target.label}", file=sys.stderr, flush=True)
    workdir = Path(tempfile.mkdtemp(prefix="caredesk-bench-"))
    try:
        connections = pg_connections(target.server, args.pg_connections)
        with database(target.db, target.app, connections, workdir) as db:
            env = app_env(target.app, db, workdir, keys)
            print("  migrating a fresh database", file=sys.stderr, flush=True)
            token = prepare(target.app, env)
            usage = _serve_and_measure(target, args, env, token, workdir, db.pg_name)
            usage.pg_connections = connections if target.db == "postgres" else ""
            where = "direction = 'in' AND channel = 'api'" if target.app == "caredesk" else "1 = 1"
            stored = db.count(where)
        return summarize(target, usage, stored)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _serve_and_measure(target: Target, args, env: dict, token: str, workdir: Path, db_name: str) -> "Usage":
    port = free_port()
    run_id = f"{target.app}-{target.db}-{target.server}-{os.getpid()}"
    warmup = build_requests(args.warmup, f"warm-{run_id}", args.senders, token, port, seed=1)
    measured = build_requests(args.requests, f"load-{run_id}", args.senders, token, port, seed=2)
    command = server_command(target.app, target.server, port, args.workers)
    with running_server(command, env, port, workdir / "server.log", args.workers) as process:
        print(f"  warming up with {len(warmup)} requests", file=sys.stderr, flush=True)
        warm = drive(port, warmup, args, "warm-up")
        print(f"  measuring {len(measured)} requests, {args.concurrency} clients", file=sys.stderr, flush=True)
        load = lambda: drive(port, measured, args, "load")  # noqa: E731
        with profiling(process.pid, target, args.profile):
            usage = measure(process.pid, db_name, load)
    usage.accepted = warm.statuses[202] + usage.phase.statuses[202]
    return usage


def measure(server_pid: int, db_name: str, load) -> Usage:
    """Run `load` and account for the CPU the machine spent meanwhile: the server's processes, the
    bench database's backends, this load generator, and anything else (other users of the box)."""
    server_before, db_before, busy_before = tree_cpu(server_pid), postgres_cpu(db_name), machine_busy()
    phase = load()
    busy = machine_busy() - busy_before
    server_after = tree_cpu(server_pid)
    server = cpu_delta(server_before, server_after)
    database = cpu_delta(db_before, postgres_cpu(db_name))
    by_process = {pid: round(after - server_before.get(pid, 0.0), 2) for pid, after in server_after.items()}
    return Usage(phase, server, database, max(0.0, busy - server - database - phase.client_cpu), by_process)


# --- Report ----------------------------------------------------------------------------------------------

COLUMNS = [
    ("app", 9),
    ("db", 9),
    ("server", 9),
    ("msg/s", 7),
    ("p50 ms", 7),
    ("p95 ms", 7),
    ("p99 ms", 7),
    ("srv ms/msg", 10),
    ("pg ms/msg", 9),
    ("cli ms/msg", 10),
    ("other %", 7),
    ("vs bare", 7),
    ("fail", 5),
    ("stored ok", 9),
]


def _row(result: dict, results: list[dict]) -> list[str]:
    bare = next(
        (r for r in results if r["app"] == "bare" and r["db"] == result["db"] and r["server"] == result["server"]), None
    )
    ratio = result["messages_per_second"] / bare["messages_per_second"] if bare and result["app"] != "bare" else None
    pg = result["postgres_cpu_ms_per_message"]
    return [
        result["app"],
        result["db"],
        result["server"],
        f"{result['messages_per_second']:.0f}",
        *(f"{result['latency_ms'][q]:.1f}" for q in ("p50", "p95", "p99")),
        f"{result['server_cpu_ms_per_message']:.2f}",
        "-" if pg is None else f"{pg:.2f}",
        f"{result['client_cpu_ms_per_message']:.2f}",
        f"{result['other_cpu_percent']:.0f}",
        "-" if ratio is None else f"{ratio:.2f}",
        str(result["requests"] - result["accepted_202"]),
        "yes" if result["stored_matches_accepted"] else "NO",
    ]


def print_table(results: list[dict]) -> None:
    print("  ".join(name.rjust(width) for name, width in COLUMNS))
    for result in results:
        print("  ".join(cell.rjust(width) for cell, (_n, width) in zip(_row(result, results), COLUMNS, strict=True)))


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
    return done.stdout.strip()


def environment() -> dict:
    return {
        # The tree changes under active development: name the code that was measured.
        "commit": _git("rev-parse", "--short", "HEAD"),
        "uncommitted_changes": _git("status", "--porcelain", "--", "caredesk").splitlines(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average_at_start": os.getloadavg(),
        "kernel": platform.release(),
        "at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }


def save(results: list[dict], args, env: dict) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS_DIR / f"inbound-{stamp}.json"
    settings = {k: v for k, v in vars(args).items()}
    path.write_text(json.dumps({"environment": env, "settings": settings, "results": results}, indent=2))
    return path


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--apps", default="caredesk,bare", help="caredesk,bare")
    parser.add_argument("--dbs", default="sqlite,postgres", help="sqlite,postgres")
    parser.add_argument("--servers", default="uvicorn,gunicorn", help="uvicorn (caredesk serve), gunicorn (sync WSGI)")
    parser.add_argument("--requests", type=int, default=5000, help="measured requests per run")
    parser.add_argument("--warmup", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=16, help="concurrent keep-alive clients")
    parser.add_argument("--requests-per-connection", type=int, default=100, help="then the client reconnects")
    parser.add_argument("--time-cap", type=float, default=180, help="seconds per phase before giving up")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--senders", type=int, default=500, help="distinct patient phone numbers")
    parser.add_argument(
        "--pg-connections",
        choices=["auto", "pool", "persistent"],
        default="auto",
        help="auto: the pool under uvicorn, persistent connections under gunicorn",
    )
    parser.add_argument("--profile", action="store_true", help="sample one worker with py-spy while measuring")
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    env = environment()
    keys = production_keys()
    targets = [
        Target(app, db, server)
        for db in args.dbs.split(",")
        for server in args.servers.split(",")
        for app in args.apps.split(",")
    ]
    results = [run_target(target, args, keys) for target in targets]
    print()
    print_table(results)
    print(f"\nresults: {save(results, args, env).relative_to(ROOT)}")
    if not all(r["stored_matches_accepted"] for r in results):
        sys.exit("stored messages differ from 202 responses")


if __name__ == "__main__":
    main()
