"""Sending channel-layer events from synchronous code (views, actions, task workers).

With the in-memory layer (single-process mode) every event must run on the server's event loop: the
layer's queues belong to it, and a worker thread's private loop would never wake the listening
consumer. The server binds its loop at start-up; with Redis the binding is harmless.
"""

import asyncio

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer

_server_loop: asyncio.AbstractEventLoop | None = None
SEND_TIMEOUT_SECONDS = 5


def bind_server_loop(loop: asyncio.AbstractEventLoop) -> None:
    global _server_loop
    _server_loop = loop


def group_send(group: str, event: dict) -> None:
    layer = get_channel_layer()
    if layer is None:
        raise RuntimeError("no channel layer configured")
    if isinstance(layer, InMemoryChannelLayer) and not layer.groups.get(group):
        # Nobody in this process listens, and an in-memory layer reaches no other process: skip the
        # event-loop round trip, which costs more than the database commit it follows.
        return
    loop = _server_loop
    if loop is not None and loop.is_running() and not _running_on(loop):
        asyncio.run_coroutine_threadsafe(layer.group_send(group, event), loop).result(SEND_TIMEOUT_SECONDS)
        return
    async_to_sync(layer.group_send)(group, event)


def _running_on(loop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False
