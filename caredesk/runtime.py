"""Running CareDesk: the single-process embedded server, and background workers."""

import asyncio
import logging
import threading
import time

logger = logging.getLogger("caredesk.runtime")

SWEEP_INTERVAL_SECONDS = 60


def make_task_worker(worker_id: str, interval: float = 0.5):
    from django_tasks_db.management.commands.db_worker import Worker

    return Worker(
        queue_names=["*"],
        interval=interval,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )


def _sweep_forever(stop: threading.Event) -> None:
    from django.db import close_old_connections

    from caredesk.inbox.delivery import sweep

    while not stop.wait(SWEEP_INTERVAL_SECONDS):
        try:
            sweep()
        except Exception:
            logger.exception("delivery sweep failed")
        finally:
            close_old_connections()


def start_sweeper() -> threading.Event:
    """The delivery sweeper as a daemon thread; set the returned event to stop it."""
    stop = threading.Event()
    threading.Thread(target=_sweep_forever, args=(stop,), name="caredesk-sweeper", daemon=True).start()
    return stop


def start_background(worker_id: str) -> tuple[object, threading.Event]:
    """The task worker and the delivery sweeper as daemon threads of this process."""
    worker = make_task_worker(worker_id)
    threading.Thread(target=worker.run, name="caredesk-tasks", daemon=True).start()
    return worker, start_sweeper()


def serve_embedded(host: str, port: int, on_ready=None) -> None:
    """HTTP and WebSocket in one uvicorn server, with task work on threads of the same process."""
    import uvicorn

    from caredesk import live

    config = uvicorn.Config(
        "caredesk.asgi:application", host=host, port=port, lifespan="off", log_level="warning", access_log=False
    )
    server = uvicorn.Server(config)
    worker, stop = start_background("embedded")

    async def main():
        live.bind_server_loop(asyncio.get_running_loop())
        serving = asyncio.create_task(server.serve())
        while not server.started and not serving.done():
            await asyncio.sleep(0.05)
        if server.started and on_ready:
            on_ready()
        await serving

    try:
        asyncio.run(main())
    finally:
        worker.running = False
        stop.set()
        time.sleep(0.1)
