"""The stylesheets of the pages: one place for fonts, the phone layout and the print layout.

* :data:`ANALYST_CSS` goes over JupyterLab's own stylesheet on the analysts' pages (code kept).
* :data:`LEADER_CSS` is the whole stylesheet of the leadership pages, the landing page and the
  printed brief: no JupyterLab theme (a leader's page carries no editor styles), text of at
  least 14 px at every width, a column that fits a 375-px phone, tables scrolling inside their
  own box, and the blocks the content helpers make for leaders (``leader-messages``,
  ``leader-table``, ``leader-note``: :mod:`analysis.review.messages` and
  :mod:`analysis.review.display`).
* :data:`PRINT_CSS`: A4 for the browser's Print and the PDF (:mod:`analysis.build.pdf`).

Chinese reads on any device: Noto Sans CJK SC first (the font CI installs), then PingFang SC
and Microsoft YaHei for phones and Windows. Standard library only, no network: every page is
self-contained.
"""

from __future__ import annotations

FONT_STACK = (
    '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", "Source Han Sans SC", '
    "sans-serif"
)

ANALYST_CSS = f"""
:root {{
  --jp-content-font-family: {FONT_STACK};
  --jp-ui-font-family: {FONT_STACK};
}}
html, body {{ margin: 0; max-width: 100%; }}
body {{ font-family: {FONT_STACK}; line-height: 1.6; color: #222; background: #fff; }}
body.jp-Notebook, main {{ box-sizing: border-box; max-width: 960px; margin: 0 auto; }}
body.jp-Notebook {{ padding: 8px 12px 48px; }}
.jp-Cell, .jp-OutputArea-child, .jp-OutputArea-output, .jp-Cell-outputWrapper,
.jp-Cell-inputWrapper, .jp-InputArea, .jp-InputArea-editor {{ min-width: 0; max-width: 100%; }}
.jp-Cell {{ padding: 4px 0; }}
.jp-OutputArea-output {{ overflow-x: auto; }}
.jp-RenderedHTMLCommon {{ padding-right: 0; overflow-wrap: anywhere; }}
.jp-RenderedHTMLCommon table {{ display: block; max-width: 100%; overflow-x: auto; }}
.jp-RenderedHTMLCommon th,
.jp-RenderedHTMLCommon td {{ white-space: nowrap; overflow-wrap: normal; }}
.jp-InputArea-editor, .jp-OutputArea-output pre {{ overflow-x: auto; }}
img {{ max-width: 100%; height: auto; }}
.page-nav {{ padding: 6px 0; font-size: 0.9em; }}
@media (max-width: 600px) {{
  body {{ font-size: 15px; }}
  .jp-InputPrompt, .jp-OutputPrompt {{ display: none; }}
  .jp-RenderedHTMLCommon h1 {{ font-size: 1.5em; }}
}}
"""

# the analysts' own pages (their index and the data page): wide tables scroll in their box
ANALYST_TABLES_CSS = """.scroll { max-width: 100%; overflow-x: auto; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { border-bottom: 1px solid #ddd; padding: 4px 8px; text-align: left;
  vertical-align: top; }"""

# A4 for the browser's Print and the PDF: tables wrap instead of scrolling, figures stay whole.
PRINT_CSS = """
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { font-size: 10.5pt; }
  body.jp-Notebook, main { padding: 0; max-width: none; }
  .page-nav, .no-print { display: none; }
  img, figure, .jp-OutputArea-output img { break-inside: avoid; page-break-inside: avoid; }
  h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
  .jp-RenderedHTMLCommon table, table { display: table; overflow: visible; font-size: 9pt; }
  .jp-RenderedHTMLCommon th, .jp-RenderedHTMLCommon td, th, td { white-space: normal; }
  .jp-OutputArea-output, .scroll { overflow: visible; }
  pre, .jp-OutputArea-output pre { white-space: pre-wrap; overflow-wrap: anywhere; }
  a { color: inherit; text-decoration: none; }
}
"""

LEADER_CSS = f"""
html {{ -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }}
html, body {{ margin: 0; max-width: 100%; }}
body {{ font-family: {FONT_STACK}; font-size: 17px; line-height: 1.75; color: #1f2328;
  background: #fff; }}
main {{ box-sizing: border-box; max-width: 760px; margin: 0 auto; padding: 8px 16px 56px; }}
h1 {{ font-size: 1.5em; line-height: 1.35; margin: 0.5em 0 0.4em; }}
h2 {{ font-size: 1.25em; line-height: 1.4; margin: 1.4em 0 0.5em; padding-bottom: 4px;
  border-bottom: 1px solid #e3e6ea; }}
h3 {{ font-size: 1.1em; margin: 1.2em 0 0.4em; }}
p, li {{ overflow-wrap: anywhere; }}
a {{ color: #0b57a4; }}
small, .meta, figcaption {{ font-size: 15px; color: #57606a; }}
a.anchor-link, .jp-CodeCell .jp-InputArea, .jp-InputPrompt, .jp-OutputPrompt, .jp-Collapser {{
  display: none; }}
.jp-Cell {{ margin: 0 0 10px; min-width: 0; max-width: 100%; }}
.jp-OutputArea-output, .jp-RenderedHTMLCommon {{ min-width: 0; max-width: 100%; }}
.jp-OutputArea-output {{ overflow-x: auto; }}
img {{ display: block; max-width: 100%; height: auto; margin: 8px auto; }}
pre {{ font-size: 14px; white-space: pre-wrap; overflow-wrap: anywhere; }}
table {{ border-collapse: collapse; font-size: 15px; margin: 8px 0 16px; }}
.jp-RenderedHTMLCommon table, table.leader-table {{ display: block; max-width: 100%;
  overflow-x: auto; }}
th, td {{ border-bottom: 1px solid #e3e6ea; padding: 6px 10px; text-align: left;
  vertical-align: top; white-space: nowrap; }}
th {{ background: #f4f5f7; font-weight: 600; }}
table.leader-table td {{ white-space: normal; word-break: keep-all; overflow-wrap: normal;
  min-width: 4em; }}
table.leader-table caption {{ caption-side: top; text-align: left; font-weight: 600;
  padding: 4px 0; }}
.leader-messages {{ border-left: 5px solid #b03a2e; background: #fbf3f2; padding: 10px 14px;
  margin: 8px 0 18px; border-radius: 4px; }}
.leader-messages ul, .leader-messages ol {{ margin: 0; padding-left: 1.2em; }}
.leader-messages li {{ margin: 6px 0; font-size: 1.05em; line-height: 1.6; }}
.leader-messages strong, .leader-messages b {{ color: #8b1a1a; }}
.leader-note {{ font-size: 15px; line-height: 1.6; color: #7a1c14; background: #fdf0ee;
  border: 1px solid #f3c4bd; padding: 6px 10px; margin: 8px 0; border-radius: 4px; }}
.page-nav {{ padding: 6px 0; font-size: 15px; }}
.page-nav a {{ text-decoration: none; }}
@media (max-width: 480px) {{
  body {{ font-size: 16px; }}
  main {{ padding: 6px 12px 48px; }}
  h1 {{ font-size: 1.35em; }}
}}
{PRINT_CSS}
"""
