"""The load generator: a minimal HTTP/1.1 keep-alive client driving a bounded number of connections.

A general-purpose client costs several times more CPU per request, and the load generator shares
the machine with the server it measures.
"""

import asyncio
import socket
import sys
import time
from collections import Counter
from dataclasses import dataclass, field

# A minimal HTTP/1.1 keep-alive client: a general-purpose client costs several times more CPU per
# request, and the load generator shares the two cores with the server it is measuring.


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Status code and whether the connection stays open."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        headers[name.strip().lower()] = value.strip().lower()
    if b"content-length" in headers:
        await reader.readexactly(int(headers[b"content-length"]))
    elif headers.get(b"transfer-encoding") == b"chunked":
        await _read_chunked(reader)
    return status, headers.get(b"connection") != b"close"


async def _read_chunked(reader: asyncio.StreamReader) -> None:
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
        await reader.readexactly(size + 2)
        if size == 0:
            return


@dataclass
class Phase:
    """What one load phase observed."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    failures: Counter = field(default_factory=Counter)
    started: float = 0.0
    finished: float = 0.0
    client_cpu: float = 0.0

    @property
    def done(self) -> int:
        return sum(self.statuses.values()) + sum(self.failures.values())


class Connection:
    def __init__(self, port: int):
        self.port = port
        self.reader = self.writer = None

    async def exchange(self, request: bytes) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
            sock = self.writer.get_extra_info("socket")
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.writer.write(request)
        status, keep_alive = await read_response(self.reader)
        if not keep_alive:
            self.close()
        return status

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def _client(port: int, work, phase: Phase, deadline: float, per_connection: int) -> None:
    connection = Connection(port)
    for sent, request in enumerate(work, 1):
        if time.monotonic() > deadline:
            break
        if sent % per_connection == 0:
            # uvicorn's workers share one listening socket and the first to wake accepts; reconnecting
            # now and then spreads the clients over the workers as a crowd of integrators would.
            connection.close()
        start = time.perf_counter()
        try:
            status = await connection.exchange(request)
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            phase.failures[type(exc).__name__] += 1
            connection.close()
            continue
        phase.latencies.append(time.perf_counter() - start)
        phase.statuses[status] += 1
    connection.close()


async def _report_progress(label: str, phase: Phase, total: int) -> None:
    last_done, last_at = 0, time.perf_counter()
    while True:
        await asyncio.sleep(2)
        now, done = time.perf_counter(), phase.done
        rate = (done - last_done) / (now - last_at)
        print(
            f"    {label}: {done}/{total} done, {rate:.0f}/s, failures {phase.done - phase.statuses[202]}",
            file=sys.stderr,
            flush=True,
        )
        last_done, last_at = done, now


async def _drive(port: int, requests: list[bytes], args, label: str) -> Phase:
    phase = Phase()
    work = iter(requests)  # shared by every client: each request is sent exactly once
    deadline = time.monotonic() + args.time_cap
    progress = asyncio.create_task(_report_progress(label, phase, len(requests)))
    cpu_before = time.process_time()
    phase.started = time.perf_counter()
    clients = (_client(port, work, phase, deadline, args.requests_per_connection) for _ in range(args.concurrency))
    await asyncio.gather(*clients)
    phase.finished = time.perf_counter()
    phase.client_cpu = time.process_time() - cpu_before
    progress.cancel()
    return phase


def drive(port: int, requests: list[bytes], args, label: str) -> Phase:
    import uvloop

    return uvloop.run(_drive(port, requests, args, label))
