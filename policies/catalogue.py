"""The catalogue behind ``urbanize list policies`` and ``urbanize list packages``.

Each policy is shown with its pilot of origin, its one-line summary and its parameters (name, default, unit,
valid range); each package with its members. Policies installed by other packages through the entry-point
group ``urbanize.policies`` appear too (pilot "user" unless they say otherwise).
"""

from __future__ import annotations

from urbanize.policies import registry
from urbanize.policies.base import Policy


def _value(v: object) -> str:
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def format_policy(name: str, cls: type[Policy]) -> str:
    """The catalogue entry of one policy: a heading line and one line per parameter."""
    pilot = cls.pilot or "user"
    doc_lines = (cls.__doc__ or "").strip().splitlines()
    summary = cls.summary or (doc_lines[0] if doc_lines else "")
    lines = [f"{name}  [{pilot}]  {summary}".rstrip()]
    infos = cls.param_infos()
    if not infos:
        lines.append("    (no parameters)")
    for info in infos:
        rng = "" if info.kind in (bool, str) else f" in {info.range_text()}"
        lines.append(
            f"    {cls.name or name}.{info.name} = {_value(info.default)}  ({info.unit}{rng})  {info.doc}".rstrip()
        )
    return "\n".join(lines)


def format_packages() -> str:
    """Every package with its members; members not installed are marked."""
    known = registry.available()
    pk = registry.packages()
    width = max((len(n) for n in pk), default=0)
    lines = ["Packages (each runs on top of status_quo):"]
    for name, members in pk.items():
        shown = [m if m in known else f"{m} (not installed)" for m in members]
        lines.append(f"  {name:<{width}}  {', '.join(shown)}")
    return "\n".join(lines)


def format_policies() -> str:
    """Every policy (pilot, summary, parameters) and then every package with its members.

    Parameters are written as they are set: ``urbanize run --set POLICY.PARAM=VALUE``.
    """
    lines = ["Policies (set a parameter with --set POLICY.PARAM=VALUE or a [POLICY] table in --params):", ""]
    for name, cls in registry.available().items():
        lines.append(format_policy(name, cls))
        lines.append("")
    lines.append(format_packages())
    return "\n".join(lines)


def param_table_markdown(cls: type[Policy]) -> str:
    """The parameters of one policy as a Markdown table (used to write ``docs/policies.md``)."""
    infos = cls.param_infos()
    if not infos:
        return "No parameters."
    rows = ["| parameter | default | unit | range | meaning |", "|---|---|---|---|---|"]
    for info in infos:
        rng = "on/off" if info.kind is bool else info.range_text()
        doc = info.doc.replace("|", "\\|")
        rows.append(f"| `{info.name}` | {_value(info.default)} | {info.unit} | {rng} | {doc} |")
    return "\n".join(rows)
