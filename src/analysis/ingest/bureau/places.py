"""Which place a release is for, read from the names it prints.

A county's bureau titles its table ``曲周县2022年1-10月规模以上工业…``, or only ``全县…`` (its own
table, no name needed); a district's page may show the city beside it (``北京市 | 西城区``).
The reader therefore records the place a release *names* — in its title, else its sheet name,
else its file name, else a folder name — and the run decides: a release naming a place counts
for that place alone; one naming none counts for the run's county (:func:`belongs_to`).

A place is a name of one to seven Chinese characters ending in 县, 区, 市 or 旗, found at the start
of a run of Chinese text (periods, digits, brackets and 省/年/月 end a run: ``邯郸市曲周县`` names
邯郸市 and 曲周县, ``【模拟数据】曲周县2022年…`` names 曲周县). Words that end so but name no
administrative unit (全县, 城区, 分区, a 开发区 or 园区) are not places. The most specific name
(the last one) is the release's place.
"""

from __future__ import annotations

import re

from analysis.ingest.bureau.numbers import normalise

SUFFIX = "自治县|县|区|市|旗"
NAME = re.compile(rf"[\u4e00-\u9fff]{{1,7}}?(?:{SUFFIX})")
# characters that end a run of text that may start with a name
BREAKS = re.compile(r"[^\u4e00-\u9fff]+|[年月份省的及与]")
# words ending like a place that are not one: the whole (全县), parts, zones, kinds of area
NOT_A_PLACE = frozenset(
    {"全县", "全市", "全区", "全旗", "本县", "本市", "本区", "各县", "各区", "各市", "县区",
     "市县", "县市区", "城区", "市区", "郊区", "辖区", "地区", "社区", "景区", "片区", "街区",
     "小区", "分区", "园区", "新区", "老区", "矿区", "城市", "都市", "城市区", "县城区"}
)  # fmt: skip
ZONE = re.compile(
    r"(开发区|园区|高新区|工业区|功能区|新区|发展区|核心区|拓展区|涵养区|示范区|保税区|试验区|"
    r"合作区|集聚区|产业区)$"
)


def is_place(text: str) -> bool:
    """Whether ``text`` (spaces aside) is one place name: ``西 城 区``, not ``全县``."""
    t = normalise(text).replace("\u3000", "")
    return bool(NAME.fullmatch(t)) and t not in NOT_A_PLACE and not ZONE.search(t)


def is_zone(text: str) -> bool:
    """A development zone or park (``北京经济技术开发区``, ``其中：开发区``): a part of a county."""
    return bool(ZONE.search(normalise(text)))


def places_in(text: str) -> list[str]:
    """The place names ``text`` prints, in order (``邯郸市曲周县…`` -> [邯郸市, 曲周县])."""
    found: list[str] = []
    for run in BREAKS.split(normalise(text).replace("\u3000", "")):
        pos = 0
        while True:
            m = NAME.match(run, pos)
            if m is None:
                break
            name = m.group(0)
            if name in NOT_A_PLACE or ZONE.search(name) or name.startswith(("全", "本", "各")):
                break
            found.append(name)
            pos = m.end()
    return found


def named_place(sources: list[tuple[str, list[str]]]) -> tuple[str, str, list[tuple[str, str]]]:
    """(place, where it is named, every (where, place) named) from ``[(where, texts), …]`` in
    order of authority (title, sheet name, file name, folders); ("", "", []) if none names one.

    The place is the last (most specific) name of the first source that names any."""
    named = []
    for where, texts in sources:
        names = [n for t in texts for n in places_in(t)]
        if names:
            named.append((where, names[-1]))
    if not named:
        return "", "", []
    return named[0][1], named[0][0], named


def belongs_to(place: str, county: str) -> bool:
    """Whether a release naming ``place`` ("" = none) counts for a run of ``county`` (the
    run may give the short name: 曲周 for 曲周县)."""
    if not place:
        return True
    place, county = normalise(place), normalise(county)
    if re.search(rf"(?:{SUFFIX})$", county):
        return place == county
    return re.sub(rf"(?:{SUFFIX})$", "", place) == county
