"""County-level administrative units of Hebei: current codes, their history, and names in print.

Statistics arrive on the codes of their time (the 2010 census on 2010 codes, an evaluation round
on the units of its data year), and press releases name counties in many ways (石家庄市鹿泉区,
固安, 肥乡县). Everything that joins such data to the current 167 units goes through this module,
so a boundary change is handled once, from the published code history, and never guessed.

Conventions
-----------
* Years are *end-of-year* states. A change with year Y (启用 Y, 弃用/变更 Y) is in force at the
  end of Y: :func:`units_as_of` (Y) lists the units after that year's changes. The Hebei
  evaluation counted 168 units in its 2019 and 2020 rounds and 167 from 2021; with round R using
  the statistics of R-1, that is ``units_as_of(R - 1)``: 168 for data years 2018 and 2019
  (邢台县 still there), 167 for 2020 on (the 2020 邢台 reform is in force at the end of 2020).
  ``at="start"`` gives the units in force on 1 January instead (the end of the year before).
* Development zones (codes whose 5th digit is 7, e.g. 130171) are statistical areas, not
  county-level units; they are excluded everywhere here.
* 新代码 in the history lists successor codes; a code with a bracketed year, ``130402[2016]``,
  means that part of the unit's territory went to that code in that year (a partial transfer),
  while the unit itself carried on (or, on an abolished row, ended later).

Modules: :mod:`.codes` (the three admin files and the code table), :mod:`.changes` (units of a
year, boundary changes), :mod:`.names` (names in print -> codes).
"""

from __future__ import annotations

from analysis.ingest.admin.changes import boundary_changes, units_as_of
from analysis.ingest.admin.codes import (
    BOUNDARIES,
    CITIES_FILE,
    COUNTIES_FILE,
    HISTORY_FILE,
    RELATIONS,
    code_table,
    is_zone,
    kind_of,
    map_to_current,
    read_cities,
    read_code_history,
    read_counties,
)
from analysis.ingest.admin.names import resolve_name

__all__ = [
    "BOUNDARIES",
    "CITIES_FILE",
    "COUNTIES_FILE",
    "HISTORY_FILE",
    "RELATIONS",
    "boundary_changes",
    "code_table",
    "is_zone",
    "kind_of",
    "map_to_current",
    "read_cities",
    "read_code_history",
    "read_counties",
    "resolve_name",
    "units_as_of",
]
