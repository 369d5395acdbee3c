"""The machinery of typed, validated parameter objects (re-exported by ``model.params``).

:func:`param` declares a documented, range-checked dataclass field with its provenance (``model.provenance``);
:func:`validate` (called from ``__post_init__``) checks a whole object; :func:`build` makes one from a dict,
rejecting unknown names; :func:`describe` lists the fields for ``urbanize list`` and the sweep validator.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any

from urbanize.model.errors import ParameterError
from urbanize.model.provenance import Provenance, records_for


def param(
    default: Any, unit: str, lo: float | None, hi: float | None, doc: str, *, prov: Provenance | None = None
) -> Any:
    """Declare a documented, range-checked dataclass field.

    Args:
        default: Default value (its type is the field's type: int, float or bool).
        unit: Unit in words ("1/month", "yuan/month", "logit", "share").
        lo: Smallest valid value (inclusive), or None for unbounded.
        hi: Largest valid value (inclusive), or None for unbounded.
        doc: One line saying what the parameter means and, where known, its source.
        prov: Where the default comes from: ``calibrated()``, ``sourced(citation)`` or ``assumed(reason)``
            (``model.provenance``). Every shipped parameter gives one (a test checks it).
    """
    return field(default=default, metadata={"unit": unit, "range": (lo, hi), "doc": doc, "prov": prov})


@dataclass(frozen=True)
class ParamInfo:
    """Description of one parameter, for listings and validation."""

    name: str
    default: Any
    unit: str
    lo: float | None
    hi: float | None
    doc: str
    provenance: Provenance | None = None

    @property
    def kind(self) -> type:
        return type(self.default)

    def provenance_kind(self) -> str:
        return self.provenance.kind if self.provenance is not None else "missing"

    def provenance_text(self) -> str:
        """The provenance in words; for a calibrated parameter, its records from ``model/calibration.toml``."""
        if self.provenance is None:
            return "missing"
        if self.provenance.kind == "calibrated":
            recs = "; ".join(r.text() for r in records_for(self.name))
            return f"calibrated: {recs or 'no record in model/calibration.toml'}"
        return self.provenance.text()

    def range_text(self) -> str:
        lo = "-inf" if self.lo is None else f"{self.lo:g}"
        hi = "inf" if self.hi is None else f"{self.hi:g}"
        return f"[{lo}, {hi}]"


def describe(cls_or_obj: Any) -> list[ParamInfo]:
    """List the documented fields of a parameter dataclass."""
    out = []
    for f in dataclasses.fields(cls_or_obj):
        lo, hi = f.metadata.get("range", (None, None))
        out.append(
            ParamInfo(
                f.name, f.default, f.metadata.get("unit", ""), lo, hi, f.metadata.get("doc", ""),
                f.metadata.get("prov"),
            )
        )
    return out


def coerce(info: ParamInfo, value: Any, owner: str) -> Any:
    """Convert ``value`` (possibly a string from the command line) to the parameter's type, or raise.

    Numpy scalars (``np.int64``, ``np.float64``, ``np.bool_``, as samplers and EMA Workbench produce) count as
    the Python number they hold.
    """
    kind = info.kind
    if hasattr(value, "item") and type(value).__module__ == "numpy":
        value = value.item()
    try:
        if kind is bool:
            if isinstance(value, str):
                low = value.strip().lower()
                if low not in {"true", "false", "1", "0", "yes", "no", "on", "off"}:
                    raise ValueError(value)
                return low in {"true", "1", "yes", "on"}
            if isinstance(value, bool | int) and value in (0, 1):
                return bool(value)
            raise ValueError(value)
        if kind is int:
            if isinstance(value, bool):
                raise ValueError(value)
            as_float = float(value)
            if not as_float.is_integer():
                raise ValueError(value)
            return int(as_float)
        if kind is float:
            if isinstance(value, bool):
                raise ValueError(value)
            return float(value)
        if kind is str:
            return str(value)
    except (TypeError, ValueError):
        raise ParameterError(
            f"{owner}parameter '{info.name}' must be a {kind.__name__}, got {value!r}; "
            f"valid range {info.range_text()} {info.unit}"
        ) from None
    return value


def validate(obj: Any, owner: str = "") -> None:
    """Check every field of a parameter dataclass against its type and range.

    Raises:
        ParameterError: naming the first offending field, its value and its valid range.
    """
    for info in describe(obj):
        value = getattr(obj, info.name)
        typed = coerce(info, value, owner)
        if typed != value or type(typed) is not type(value):
            object.__setattr__(obj, info.name, typed)
            value = typed
        if isinstance(value, float) and not math.isfinite(value):
            raise ParameterError(f"{owner}parameter '{info.name}' must be finite, got {value!r}")
        if isinstance(value, int | float) and not isinstance(value, bool):
            if (info.lo is not None and value < info.lo) or (info.hi is not None and value > info.hi):
                raise ParameterError(
                    f"{owner}parameter '{info.name}' = {value!r} is outside its valid range "
                    f"{info.range_text()} {info.unit}; pick a value inside it"
                )


def build(cls: type, values: dict[str, Any] | None, owner: str = "") -> Any:
    """Build a parameter object from a dict, rejecting unknown names with the list of valid ones."""
    values = dict(values or {})
    known = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ParameterError(
            f"unknown {owner}parameter '{unknown[0]}'; valid {owner}parameters: {', '.join(sorted(known))}"
        )
    infos = {i.name: i for i in describe(cls)}
    typed = {k: coerce(infos[k], v, owner) for k, v in values.items()}
    return cls(**typed)
