"""Fixtures that run CareDesk for real: uvicorn serving the ASGI app on a free local port with the task
worker beside it (as `caredesk run` does), and Debian's Chromium driven by Playwright.

Registered for every test through `pytest_plugins` in caredesk/conftest.py.
"""

import asyncio
import os
import socket
import threading
import time
from pathlib import Path

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.db import connections

from caredesk import live

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS_DIR = Path(__file__).resolve().parents[2] / "test-artifacts"
START_TIMEOUT_SECONDS = 10
WORKER_INTERVAL_SECONDS = 0.1


class ServerThread(threading.Thread):
    """uvicorn on its own event loop, which `caredesk.live` must use for channel-layer sends."""

    def __init__(self):
        import uvicorn

        super().__init__(name="test-asgi-server", daemon=True)
        # Bound before the thread starts, so the port is ours and there is no race for a "free" one.
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        config = uvicorn.Config("caredesk.asgi:application", lifespan="off", log_level="warning")
        self.server = uvicorn.Server(config)

    def run(self):
        asyncio.run(self._serve())

    async def _serve(self):
        live.bind_server_loop(asyncio.get_running_loop())
        try:
            await self.server.serve(sockets=[self.socket])
        finally:
            # Consumers' queries run on asgiref's process-wide thread; its connection would outlive
            # this server and keep PostgreSQL from dropping the test database.
            await sync_to_async(connections.close_all)()

    def wait_started(self):
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not self.server.started:
            if not self.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test ASGI server did not start")
            time.sleep(0.02)

    def stop(self):
        self.server.should_exit = True
        self.join(START_TIMEOUT_SECONDS)
        self.socket.close()


def _run_worker(worker):
    try:
        worker.run()
    finally:
        connections.close_all()


def reset_channel_layer():
    """Forget groups and queues: they belong to an event loop that a test may have closed."""
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    if hasattr(layer, "flush"):
        async_to_sync(layer.flush)()


@pytest.fixture
def asgi_server(transactional_db):
    """Base URL of the real ASGI app (HTTP and WebSocket) with a task worker delivering queued messages.
    Transactional, so the server's and the worker's threads see what the test commits."""
    from caredesk.runtime import make_task_worker

    reset_channel_layer()
    server = ServerThread()
    server.start()
    worker = make_task_worker("test-asgi-server", interval=WORKER_INTERVAL_SECONDS)
    worker_thread = threading.Thread(target=_run_worker, args=(worker,), name="test-task-worker", daemon=True)
    worker_thread.start()
    try:
        server.wait_started()
        yield f"http://127.0.0.1:{server.port}"
    finally:
        worker.running = False
        server.stop()
        worker_thread.join(START_TIMEOUT_SECONDS)
        live.bind_server_loop(None)
        reset_channel_layer()


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium for the whole session, used through `caredesk.testing.browser.Remote` handles
    (Playwright runs on its own thread; see that module for why). Missing Chromium skips the test,
    unless CI requires it (CAREDESK_REQUIRE_BROWSER=1)."""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is not installed (apt-get install chromium)"
        if os.environ.get("CAREDESK_REQUIRE_BROWSER") == "1":
            pytest.fail(f"CAREDESK_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    from caredesk.testing.browser import PlaywrightThread

    playwright = PlaywrightThread(
        lambda p: p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
    )
    yield playwright.browser
    playwright.stop()


@pytest.fixture
def screenshot(request):
    """Save a page screenshot as test-artifacts/<test name>-<label>.png (the folder is gitignored)."""

    def save(page, label: str) -> Path:
        ARTIFACTS_DIR.mkdir(exist_ok=True)
        path = ARTIFACTS_DIR / f"{request.node.name}-{label}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save
