"""Fresh databases, migrated apps with a token, and the server processes under test."""

import contextlib
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from layout import BIN, RESULTS_DIR, ROOT
from proc_cpu import tree_cpu
from workload import PATH

PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
INTEGRATION_USER = "bench-integration"
# The bench decides these per run; a value left in the caller's shell would change what is measured.
INHERITED_SETTINGS_TO_DROP = {
    "DATABASE_URL",
    "CAREDESK_DEMO",
    "CAREDESK_TESTING",
    "CAREDESK_DATA_DIR",
    "CAREDESK_CONN_MAX_AGE",
    "CAREDESK_DB_POOL",
    "REDIS_URL",
}


@dataclass
class Database:
    kind: str
    env: dict
    table: str
    sqlite_path: Path | None = None
    pg_name: str = ""

    def count(self, where: str) -> int:
        sql = f"SELECT count(*) FROM {self.table} WHERE {where}"
        if self.sqlite_path is not None:
            with contextlib.closing(sqlite3.connect(self.sqlite_path)) as conn:
                return conn.execute(sql).fetchone()[0]
        import psycopg

        with psycopg.connect(_pg_url(self.pg_name)) as conn:
            return conn.execute(sql).fetchone()[0]


def _pg_url(name: str) -> str:
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql)


@contextlib.contextmanager
def database(kind: str, app: str, connections: str, workdir: Path):
    table = "inbox_message" if app == "caredesk" else "bare_message"
    if kind == "sqlite":
        path = workdir / ("caredesk.sqlite3" if app == "caredesk" else "bare.sqlite3")
        yield Database(kind, {"BARE_SQLITE_PATH": str(path)}, table, sqlite_path=path)
        return
    name = f"bench_{app}_{os.getpid()}_{int(time.time())}"
    _pg_admin(f'CREATE DATABASE "{name}"')
    try:
        yield Database(kind, _pg_env(name, connections), table, pg_name=name)
    finally:
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pg_connections(server: str, choice: str) -> str:
    """ASGI runs each sync view in a fresh thread, so persistent per-thread connections pile up until
    PostgreSQL refuses more: under uvicorn the default is Django's psycopg pool with CONN_MAX_AGE=0,
    as the architecture notes say. Sync WSGI workers keep one persistent connection each."""
    if choice != "auto":
        return choice
    return "pool" if server == "uvicorn" else "persistent"


def _pg_env(name: str, connections: str) -> dict:
    if connections == "pool":
        return {"DATABASE_URL": _pg_url(name), "CAREDESK_DB_POOL": "1"}
    return {"DATABASE_URL": _pg_url(name), "CAREDESK_DB_POOL": "0", "CAREDESK_CONN_MAX_AGE": "60"}


def _run(command: list[str], env: dict) -> str:
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:3])} failed:\n{done.stderr[-2000:]}")
    return done.stdout


def production_keys() -> dict:
    output = _run([str(BIN / "caredesk"), "keys", "generate"], dict(os.environ))
    return dict(line.split("=", 1) for line in output.split())


def prepare(app: str, env: dict) -> str:
    """Migrate, and for CareDesk create an integration user and its token. Returns the token."""
    if app == "bare":
        _run([str(BIN / "python"), "-m", "django", "migrate", "--verbosity", "0"], env)
        return "bare-ignores-the-token"
    caredesk = str(BIN / "caredesk")
    _run([caredesk, "manage", "migrate", "--verbosity", "0"], env)
    create = (
        "from caredesk.accounts.models import User; "
        f"User.objects.create(username='{INTEGRATION_USER}', role='integration')"
    )
    _run([caredesk, "manage", "shell", "--command", create], env)
    return _run([caredesk, "token", "create", INTEGRATION_USER, "bench"], env).strip()


def app_env(app: str, db: Database, workdir: Path, keys: dict) -> dict:
    env = {key: value for key, value in os.environ.items() if key not in INHERITED_SETTINGS_TO_DROP}
    env.update(db.env)
    env["PYTHONPATH"] = str(ROOT)
    if app == "bare":
        env["DJANGO_SETTINGS_MODULE"] = "bench.bare.settings"
        return env
    env.update(keys)
    env.update({"DJANGO_SETTINGS_MODULE": "caredesk.settings", "CAREDESK_DATA_DIR": str(workdir)})
    env.setdefault("CAREDESK_LOG_LEVEL", "WARNING")
    return env


def server_command(app: str, server: str, port: int, workers: int) -> list[str]:
    bind = f"127.0.0.1:{port}"
    module = "caredesk" if app == "caredesk" else "bench.bare"
    if server == "gunicorn":
        return [
            str(BIN / "gunicorn"),
            f"{module}.wsgi:application",
            "--workers",
            str(workers),
            "--bind",
            bind,
            "--log-level",
            "warning",
        ]
    if app == "caredesk":
        return [str(BIN / "caredesk"), "serve", "--bind", bind, "--workers", str(workers)]
    # The same uvicorn options `caredesk serve` uses.
    return [
        str(BIN / "uvicorn"),
        "bench.bare.asgi:application",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--loop",
        "uvloop",
        "--http",
        "httptools",
        "--lifespan",
        "off",
        "--log-level",
        "warning",
        "--proxy-headers",
    ]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_server(command: list[str], env: dict, port: int, log: Path, workers: int):
    with open(log, "w") as log_file:
        # Its own session, so stopping it reaches the workers and nothing else.
        process = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        _wait_until_serving(process, port, workers, log)
        yield process
    finally:
        _stop(process)
        _keep_log(log)


def _keep_log(log: Path) -> None:
    """A server that logged an error (the traceback behind a 500, say) keeps its log in bench/results/."""
    if log.exists() and "error" in log.read_text().lower():
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        kept = RESULTS_DIR / f"server-{log.parent.name}.log"
        shutil.copy(log, kept)
        print(f"  server log kept: {kept.relative_to(ROOT)}", file=sys.stderr, flush=True)


def _wait_until_serving(process: subprocess.Popen, port: int, workers: int, log: Path, timeout: float = 60) -> None:
    """Until the port answers and every worker has started (a worker that is still importing would
    otherwise be measured while loading Django)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{log.read_text()[-2000:]}")
        if _answers(port) and len(tree_cpu(process.pid)) >= workers + 1:
            return
        time.sleep(0.2)
    raise RuntimeError(f"server did not start within {timeout:.0f} s:\n{log.read_text()[-2000:]}")


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(f"GET {PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
            return sock.recv(16).startswith(b"HTTP/1.1")
    except OSError:
        return False


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
