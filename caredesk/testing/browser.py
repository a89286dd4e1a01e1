"""Playwright's sync API confined to a thread of its own, driven from the test's thread.

Between calls, Playwright's sync API leaves its event loop marked as running on the thread that
opened it. On the test's thread that breaks Django: `async_to_sync` and `asyncio.run` refuse to start,
the ORM refuses to run "from an async context", and the database connection silently switches to a
per-context one that lacks pytest-django's serialized data. So the browser lives on its own thread,
and tests hold `Remote` handles whose every call runs there.
"""

import queue
import threading
from concurrent.futures import Future

STOP = object()


class PlaywrightThread:
    def __init__(self, launch):
        """`launch(playwright)` returns the Browser; it runs on the Playwright thread."""
        self._calls: queue.Queue = queue.Queue()
        self._started: Future = Future()
        self._thread = threading.Thread(target=self._serve, args=(launch,), name="playwright", daemon=True)
        self._thread.start()
        self.browser = self.wrap(self._started.result())

    def _serve(self, launch):
        from playwright.sync_api import sync_playwright

        try:
            with sync_playwright() as playwright:
                browser = launch(playwright)
                self._started.set_result(browser)
                self._run_calls()
                browser.close()
        except BaseException as exc:
            if not self._started.done():
                self._started.set_exception(exc)
            raise

    def _run_calls(self):
        while (item := self._calls.get()) is not STOP:
            function, args, kwargs, result = item
            try:
                result.set_result(function(*args, **kwargs))
            except BaseException as exc:  # re-raised on the test's thread, assertion errors included
                result.set_exception(exc)

    def call(self, function, *args, **kwargs):
        result: Future = Future()
        self._calls.put((function, [unwrap(a) for a in args], {k: unwrap(v) for k, v in kwargs.items()}, result))
        return self.wrap(result.result())

    def wrap(self, value):
        if isinstance(value, list):  # e.g. page.frames, locator.all()
            return [self.wrap(item) for item in value]
        return Remote(self, value) if type(value).__module__.startswith("playwright.") else value

    def stop(self):
        self._calls.put(STOP)
        self._thread.join(30)


class Remote:
    """A Playwright object (Browser, Page, Locator, assertions…) used through the Playwright thread."""

    def __init__(self, owner: PlaywrightThread, target):
        object.__setattr__(self, "_owner", owner)
        object.__setattr__(self, "_target", target)

    def __getattr__(self, name):
        value = self._owner.call(getattr, self._target, name)
        if callable(value) and not isinstance(value, Remote):
            return lambda *args, **kwargs: self._owner.call(value, *args, **kwargs)
        return value

    def __repr__(self):
        return f"Remote({self._target!r})"


def unwrap(value):
    return value._target if isinstance(value, Remote) else value


def expect(remote: Remote, *args, **kwargs) -> Remote:
    """playwright.sync_api.expect for a Remote page or locator."""
    from playwright.sync_api import expect as playwright_expect

    return remote._owner.call(playwright_expect, remote, *args, **kwargs)
