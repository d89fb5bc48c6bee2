"""A browser started ahead of the leadership PDF, so the end of a build does not wait for it.

Printing the brief is the last step of a build and the browser's start (~1–1.5 s: Playwright's
driver, then Chromium) was all of it on the critical path. The runner starts a :class:`Printer`
when the summary notebook starts; the browser comes up while that notebook runs, and the print
itself (:func:`analysis.build.pdf.print_page`) takes a fraction of a second. Playwright's sync
API must stay in the thread that started it, so the browser lives in a thread of its own and
prints on request.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import queue
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

PRINT_TIMEOUT = 180.0  # seconds for one print, browser start included


class Printer:
    """A headless browser in a thread of its own; :meth:`submit` runs ``job(browser)`` there."""

    def __init__(
        self, chromium: Path, args: list[str], ready: Callable[[Any], Any] | None = None
    ) -> None:
        """``ready(browser)``, if given, runs as soon as the browser is up (e.g. opening the tab
        the first print will use); a job gets its result from :meth:`take_ready`."""
        self._requests: queue.Queue[Any] = queue.Queue()
        self._failed: BaseException | None = None
        self._ready = ready
        self._made_ready: Any = None
        self._thread = threading.Thread(
            target=self._serve, args=(chromium, args), daemon=True, name="pdf-printer"
        )
        self._thread.start()

    def _serve(self, chromium: Path, args: list[str]) -> None:
        try:
            from playwright.sync_api import sync_playwright

            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=str(chromium), args=args)
                if self._ready is not None:
                    with contextlib.suppress(Exception):  # a head start only: jobs do without
                        self._made_ready = self._ready(browser)
                try:
                    while (item := self._requests.get()) is not None:
                        future, job = item
                        if future.set_running_or_notify_cancel():
                            try:
                                future.set_result(job(browser))
                            except BaseException as exc:  # reported to the caller
                                future.set_exception(exc)
                finally:
                    browser.close()
        except BaseException as exc:  # the browser did not start: every request fails with it
            self._failed = exc
            while True:
                try:
                    item = self._requests.get_nowait()
                except queue.Empty:
                    break
                if item is not None and item[0].set_running_or_notify_cancel():
                    item[0].set_exception(exc)

    def take_ready(self) -> Any:
        """In a job (the browser's thread): what ``ready`` made when the browser started, for
        the first job that asks; None after that, or if it failed."""
        made, self._made_ready = self._made_ready, None
        return made

    def submit(self, job: Callable[[Any], Any]) -> Any:
        """Run ``job(browser)`` in the browser's thread and return its result (or raise)."""
        if self._failed is not None:
            raise self._failed
        future: cf.Future[Any] = cf.Future()
        self._requests.put((future, job))
        waited = 0.0
        while True:
            try:
                return future.result(timeout=0.5)
            except cf.TimeoutError:
                waited += 0.5
                if not self._thread.is_alive() and not future.done():
                    raise self._failed or RuntimeError("the browser's thread ended") from None
                if waited > PRINT_TIMEOUT:
                    raise TimeoutError(f"no PDF after {PRINT_TIMEOUT:.0f} s") from None

    def close(self) -> None:
        """Close the browser (waiting a little for it; the thread is a daemon anyway)."""
        self._requests.put(None)
        with contextlib.suppress(RuntimeError):
            self._thread.join(timeout=10)
