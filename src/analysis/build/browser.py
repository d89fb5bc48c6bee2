"""Find a Chromium-family browser the user already has, to print the summary PDF.

Playwright drives any of them through ``executable_path`` (nothing is downloaded): Chromium,
Google Chrome or Microsoft Edge, which is part of every Windows machine. ``$CHROMIUM`` (a path,
or a command on ``PATH``) comes first; then the usual commands and install locations of Linux,
macOS and Windows. When none is found, :func:`how_to_get_one` says what to install on this
system.
"""

from __future__ import annotations

import os
import platform
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

ENV = "CHROMIUM"
LINUX_COMMANDS = (
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "microsoft-edge",
    "microsoft-edge-stable",
)
LINUX_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/snap/bin/chromium")
MAC_APPS = (
    "Chromium.app/Contents/MacOS/Chromium",
    "Google Chrome.app/Contents/MacOS/Google Chrome",
    "Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
)
# (folder variable, path below it); Edge last but always there
WINDOWS_PATHS = (
    ("LOCALAPPDATA", "Chromium/Application/chrome.exe"),
    ("PROGRAMFILES", "Google/Chrome/Application/chrome.exe"),
    ("PROGRAMFILES(X86)", "Google/Chrome/Application/chrome.exe"),
    ("LOCALAPPDATA", "Google/Chrome/Application/chrome.exe"),
    ("PROGRAMFILES(X86)", "Microsoft/Edge/Application/msedge.exe"),
    ("PROGRAMFILES", "Microsoft/Edge/Application/msedge.exe"),
)


def candidates(system: str, env: Mapping[str, str]) -> list[Path]:
    """Where a browser may be on ``system`` (``platform.system()``), in order of preference."""
    if system == "Darwin":
        homes = [Path("/Applications"), Path(env.get("HOME", "~")).expanduser() / "Applications"]
        return [home / app for app in MAC_APPS for home in homes]
    if system == "Windows":
        upper = {k.upper(): v for k, v in env.items()}
        return [Path(upper[var]) / rel for var, rel in WINDOWS_PATHS if upper.get(var)]
    return [Path(p) for p in LINUX_PATHS]


def find_browser(
    system: str | None = None,
    env: Mapping[str, str] | None = None,
    which: Callable[[str], str | None] = shutil.which,
) -> Path | None:
    """The browser to print with: ``$CHROMIUM`` first (a path or a command), then the commands
    on ``PATH``, then the usual install locations of ``system``; None when there is none."""
    system = system or platform.system()
    env = os.environ if env is None else env
    chosen = env.get(ENV, "").strip()
    if chosen:
        found = Path(chosen) if Path(chosen).is_file() else which(chosen)
        if found:
            return Path(found)
    if system not in {"Darwin", "Windows"}:
        for cmd in LINUX_COMMANDS:
            found = which(cmd)
            if found:
                return Path(found)
    return next((p for p in candidates(system, env) if p.is_file()), None)


def how_to_get_one(system: str | None = None) -> str:
    """What to do when no browser was found, for this system."""
    system = system or platform.system()
    if system == "Windows":
        get = "Microsoft Edge is part of Windows; reinstall it, or install Google Chrome"
    elif system == "Darwin":
        get = "install Google Chrome, Microsoft Edge or Chromium into /Applications"
    else:
        get = (
            "install Chromium (Debian/Ubuntu: sudo apt-get install chromium fonts-noto-cjk; "
            "Fedora: sudo dnf install chromium google-noto-sans-cjk-fonts) or Google Chrome"
        )
    return f"no Chromium, Chrome or Edge found: {get}, or set {ENV} to the browser's path"


def offline_tab(browser: Any, width: int, height: int) -> Any:
    """A new page of ``browser`` (playwright) at ``width`` x ``height`` that loads only the file
    itself and inline data: requests to anything else are refused, so what is printed or
    captured is exactly what the offline page shows a reader."""
    context = browser.new_context(viewport={"width": width, "height": height})
    tab = context.new_page()
    tab.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(("file://", "data:"))
            else route.abort()
        ),
    )
    return tab
