"""Build times in Beijing time (UTC+8, the time of every county in China), whatever the clock of
the machine that builds: a county's analysts read 14:40, not 06:40+00:00.

China has kept UTC+8 without daylight saving since 1991, so a fixed offset is exact and needs
no time-zone database (which Windows does not ship).
"""

from __future__ import annotations

import datetime as dt

BEIJING = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")
LABEL = "北京时间"


def now() -> str:
    """The current time in Beijing, ISO 8601 to the second (``2026-11-29T14:40:05+08:00``)."""
    return dt.datetime.now(BEIJING).isoformat(timespec="seconds")


def shown(stamp: str) -> str:
    """An ISO time (any offset; one without is taken as Beijing time) as people read it:
    ``2026-11-29 14:40``; text that is not a time is returned as it is."""
    try:
        when = dt.datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return stamp
    if when.tzinfo is None:
        when = when.replace(tzinfo=BEIJING)
    return when.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")
