"""The generated tables of the ODD model description (``docs/model.md``): parameters, unit costs, indicators.

The tables are written from the registries between marker comments, so the document cannot drift from the code::

    <!-- BEGIN GENERATED: parameters -->
    ...
    <!-- END GENERATED: parameters -->

``make docs`` (``python -m urbanize.model.odd_tables docs/model.md``) rewrites them; ``--check`` exits 1 when the
file differs from what the code would write (the test suite runs the same comparison).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from urbanize.model.errors import UrbanizeError


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table(header: tuple[str, ...], rows: Sequence[tuple[object, ...]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def parameter_table(records: Sequence[dict[str, object]]) -> str:
    """Parameter records (``experiments.list_cli.parameter_rows`` shape) as a Markdown table."""
    rows = [
        (f"`{r['name']}`", r["default"], r["unit"], r["range"], r["provenance"], r["provenance_note"], r["doc"])
        for r in records
    ]
    return _table(("parameter", "default", "unit", "range", "provenance", "source or reason", "meaning"), rows)


def parameters() -> str:
    """Behavioural parameters (``model.params.BehaviourParams``): default, unit, valid range, provenance, meaning."""
    from urbanize.model.params import BehaviourParams, describe

    records = [
        {"name": i.name, "default": i.default, "unit": i.unit, "range": i.range_text(),
         "provenance": i.provenance_kind(), "provenance_note": i.provenance_text().partition(": ")[2], "doc": i.doc}
        for i in describe(BehaviourParams)
    ]
    return parameter_table(records)


def costs() -> str:
    """Unit costs of the services (``model.services.costs.COSTS``), yuan in 2009 prices, with their sources."""
    from urbanize.model.services.costs import COSTS

    rows = [(f"`{name}`", f"{value:.4g}", source) for name, (value, source) in COSTS.items()]
    return _table(("cost", "value", "source"), rows)


def indicators() -> str:
    """Every indicator in column order (``model.indicators.registry``): name, unit, meaning."""
    from urbanize.model.indicators import registry

    rows = [(f"`{i.name}`", i.unit, i.doc) for i in registry().values()]
    return _table(("indicator", "unit", "meaning"), rows)


def splits() -> str:
    """The split indicators (``model.splits``): level, unit, meaning and the indicators each one splits."""
    from urbanize.model.splits import splits as split_list

    rows = [(f"`{s.name}`", s.level, s.unit, s.doc, ", ".join(f"`{n}`" for n in s.splits))
            for s in split_list()]
    return _table(("split indicator", "level", "unit", "meaning", "splits"), rows)


def transfers() -> str:
    """The fiscal parameters (``model.budget.FiscalParams``): transfer shares by sector and revenue."""
    from urbanize.model.budget import FiscalParams
    from urbanize.model.params import describe

    rows = [(f"`{i.name}`", i.default, i.unit, i.range_text(), i.doc) for i in describe(FiscalParams)]
    return _table(("parameter", "default", "unit", "range", "meaning and source"), rows)


TABLES: dict[str, Callable[[], str]] = {
    "parameters": parameters,
    "costs": costs,
    "indicators": indicators,
    "splits": splits,
    "transfers": transfers,
}
_BLOCK = re.compile(r"(<!-- BEGIN GENERATED: (\w+) -->\n)(.*?)(<!-- END GENERATED: \2 -->)", re.DOTALL)


def render(text: str) -> str:
    """``text`` with every generated block rewritten from the code."""

    def fill(match: re.Match[str]) -> str:
        name = match.group(2)
        if name not in TABLES:
            raise UrbanizeError(f"unknown generated table '{name}'; known: {', '.join(TABLES)}")
        return f"{match.group(1)}{TABLES[name]()}\n{match.group(4)}"

    return _BLOCK.sub(fill, text)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    check = "--check" in args
    paths = [a for a in args if a != "--check"] or ["docs/model.md"]
    stale = []
    for path in map(Path, paths):
        if not path.is_file():
            print(f"error: {path} not found; run from the repository root or give the path", file=sys.stderr)
            return 2
        old = path.read_text(encoding="utf-8")
        new = render(old)
        if new != old:
            stale.append(str(path))
            if not check:
                path.write_text(new, encoding="utf-8")
    if check and stale:
        print(f"{', '.join(stale)}: generated tables are stale; run 'make docs'", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
