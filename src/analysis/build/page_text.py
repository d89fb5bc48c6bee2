"""The words of the landing page, the page navigation and the printed brief, in both languages.

A county leader reads the Chinese; an English run (``lang: en``) shows the English. The words
themselves are in the one translation table (:mod:`analysis.figures.labels`, written in
:mod:`analysis.figures.labels_site`); this module reads them for the build. Importing the table
costs no plotting library, so the landing page stays quick. Unknown keys raise KeyError naming
the key.
"""

from __future__ import annotations

from analysis.figures.labels import LABELS, table_words

__all__ = ["table_words", "w"]


def w(key: str, lang: str, **fields: object) -> str:
    """The text for ``key`` in ``lang`` (zh unless ``en``), its named fields filled in."""
    try:
        zh, en = LABELS[f"site_{key}"]
    except KeyError:
        raise KeyError(f"no page word 'site_{key}' in analysis.figures.labels_site") from None
    text = en if lang == "en" else zh
    return text.format(**fields) if fields else text
