"""The statistics bureau's words, declared once: the names under which the monthly tables of
above-scale industry (规上工业) are stored and looked up.

Readers map what a release prints onto these names (``analysis.ingest.bureau``); the analyses,
the claims register and the review look rows up by them. Changing one here changes it everywhere.
"""

from __future__ import annotations

COUNTY_SCOPE = "全县"  # the whole county, as opposed to a development zone or a township
TOTAL_GROUP = "合计"  # the total of all above-scale enterprises in the scope
KEY_GROUP = "重点企业"  # the bureau's key-enterprise group
OUTPUT_INDICATOR = "工业总产值"  # gross industrial output (current prices)

# Labels a release prints for the total row (spaces as some bureaus pad them).
TOTAL_LABELS = frozenset({"合计", "总计", "全县合计", "规上合计", "全部合计", "总 计", "合 计"})
