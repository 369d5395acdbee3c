"""Small HTML helpers: tables and headings without ``solara.Markdown`` (which fetches KaTeX from a CDN path that
the offline assets do not ship, leaving 404s in the browser console)."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import Any

import solara

TABLE_CSS = """
.urbanize-table { border-collapse: collapse; font-size: 13px; margin: 4px 0 12px 0; }
.urbanize-table th, .urbanize-table td { padding: 3px 8px; border-bottom: 1px solid #ddd; text-align: right; }
.urbanize-table th:first-child, .urbanize-table td:first-child { text-align: left; }
.urbanize-table td.strong { font-weight: 600; }
"""


def table(rows: Sequence[Sequence[Any]], header: Sequence[str], classes: str = "urbanize-table",
          strong: Callable[[int, int], bool] | None = None, fmt: Callable[[Any], str] = str,
          titles: Sequence[str] | None = None) -> None:
    """Render a table; ``strong(row, col)`` marks cells to emphasise; ``titles``: a tooltip per row."""
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
    body = []
    for i, row in enumerate(rows):
        cells = []
        for j, v in enumerate(row):
            cls = ' class="strong"' if strong is not None and strong(i, j) else ""
            cells.append(f"<td{cls}>{html.escape(fmt(v))}</td>")
        title = f' title="{html.escape(titles[i])}"' if titles is not None else ""
        body.append(f"<tr{title}>" + "".join(cells) + "</tr>")
    solara.Style(TABLE_CSS)
    solara.HTML(tag="div", unsafe_innerHTML=f'<table class="{classes}"><thead><tr>{head}</tr></thead>'
                f'<tbody>{"".join(body)}</tbody></table>')


def heading(text: str, level: int = 2) -> None:
    solara.HTML(tag=f"h{level}", unsafe_innerHTML=html.escape(text))


def bold_line(strong_text: str, rest: str = "", size: str = "1em") -> None:
    solara.HTML(tag="div", unsafe_innerHTML=f"<b>{html.escape(strong_text)}</b> {html.escape(rest)}",
                style={"font-size": size, "margin": "4px 0"})
