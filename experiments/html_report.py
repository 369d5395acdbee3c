"""One self-contained HTML file per report: figures embedded as base64 PNG, tables as HTML, styles inline; no
script, font, stylesheet or image is fetched from anywhere, so the file opens in any browser, offline, without
Python, and can be forwarded as it is.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

STYLE = """
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif; margin: 2rem auto;
       max-width: 1200px; color: #222; line-height: 1.45; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; } h2 { font-size: 1.25rem; margin-top: 2rem;
       border-bottom: 1px solid #ddd; } .meta { color: #555; }
table { border-collapse: collapse; font-size: 0.85rem; margin: 0.5rem 0 1rem; }
th, td { padding: 0.25rem 0.6rem; border-bottom: 1px solid #eee; text-align: right; }
th { background: #f5f5f5; position: sticky; top: 0; } td.text, th.text { text-align: left; }
img { max-width: 100%; height: auto; display: block; margin: 0.5rem 0 1.5rem; }
.note { background: #f7f7f2; border-left: 3px solid #bba; padding: 0.5rem 0.8rem; font-size: 0.9rem; }
"""


class HtmlReport:
    """Builds the page section by section; :meth:`write` saves it."""

    def __init__(self, title: str, subtitle: str = "", meta: Mapping[str, Any] | None = None) -> None:
        self.parts: list[str] = [f"<h1>{html.escape(title)}</h1>"]
        if subtitle:
            self.parts.append(f"<p class='meta'>{html.escape(subtitle)}</p>")
        if meta:
            rows = "".join(
                f"<tr><th class='text'>{html.escape(str(k))}</th><td class='text'>{html.escape(str(v))}</td></tr>"
                for k, v in meta.items()
            )
            self.parts.append(f"<table>{rows}</table>")
        self.title = title

    def heading(self, text: str) -> None:
        self.parts.append(f"<h2>{html.escape(text)}</h2>")

    def note(self, text: str) -> None:
        self.parts.append(f"<p class='note'>{html.escape(text)}</p>")

    def figure(self, fig_or_path: Any, alt: str) -> None:
        """A matplotlib figure (or a PNG file) embedded as base64."""
        if isinstance(fig_or_path, str | Path):
            data = Path(fig_or_path).read_bytes()
        else:
            buf = io.BytesIO()
            fig_or_path.savefig(buf, format="png", dpi=100)
            data = buf.getvalue()
        b64 = base64.b64encode(data).decode("ascii")
        self.parts.append(f"<img alt='{html.escape(alt, quote=True)}' src='data:image/png;base64,{b64}'>")

    def table(
        self,
        df: pd.DataFrame,
        columns: Sequence[str],
        formats: Mapping[str, Callable[[Any], str]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """A table of ``columns``; numbers through ``formats`` (column -> function), text left-aligned."""
        formats = formats or {}
        headers = headers or {}
        is_text = {c: not pd.api.types.is_numeric_dtype(df[c]) for c in columns}
        head = "".join(
            f"<th class='{'text' if is_text[c] else ''}'>{html.escape(headers.get(c, c))}</th>" for c in columns
        )
        body = []
        for _, row in df.iterrows():
            cells = []
            for c in columns:
                value = row[c]
                text = formats[c](value) if c in formats else ("" if pd.isna(value) else str(value))
                cells.append(f"<td class='{'text' if is_text[c] else ''}'>{html.escape(text)}</td>")
            body.append("<tr>" + "".join(cells) + "</tr>")
        self.parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")

    def render(self) -> str:
        return (
            "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
            f"<title>{html.escape(self.title)}</title><style>{STYLE}</style></head><body>\n"
            + "\n".join(self.parts)
            + "\n</body></html>\n"
        )

    def write(self, path: Path) -> Path:
        path.write_text(self.render(), encoding="utf-8")
        return path
