"""Parameter uncertainty in sweeps and comparisons: K draws from a calibration posterior (docs/experiments.md,
"Parameter uncertainty").

A sweep file's ``posterior = "path"`` and ``posterior_draws = K`` (``urbanize compare --posterior FILE --draws K``,
``urbanize sweep SPEC --posterior FILE --draws K``) draw K parameter sets from the posterior
(``experiments.posterior``) reproducibly from the root seed, and run every design point with every draw and
the spec's replicates, nested: replicate ``j`` of a point is replicate ``j % R`` of draw ``j // R`` (R = the
spec's replicates), so a point has K x R runs. The seed of replicate ``j`` is spawned from the root seed by
``j`` alone (common random numbers), so every package sees the SAME draws with the SAME replicate seeds and
the paired differences stay paired; a draw's replicates use seeds that no other draw uses.

The draws are part of the spec's identity (its fingerprint holds the file's SHA-256 and the drawn values), so
the design files record them and a resume with another posterior, K or seed is refused.

:func:`nested_summary` splits the variance of an effect by the law of total variance,
``Var(effect) = E[Var(effect | draw)] + Var(E[effect | draw])``: replicate noise and parameter uncertainty.
Draws with identical values (a posterior's particles are resampled with replacement; a one-point posterior)
are one parameter set, so the split conditions on the parameter values themselves.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy import stats

from urbanize.model.errors import UrbanizeError

MAX_DRAWS = 1000  # more draws than this is a typo or a job for a different design (and the run limit binds too)
DEFAULT_DRAWS = 20
# Spawn key of the draws' generator: far from the replicate keys (0, 1, ...) and from the sampler's (2**31 - 1).
DRAWS_SPAWN_KEY = (2**31 - 2,)


@dataclass(frozen=True)
class PosteriorDraws:
    """The K parameter sets a sweep runs with: where they came from and their values, in draw order."""

    source: str  # the posterior file as given (resolved path)
    sha256: str  # of the file's bytes: a resume with another posterior is refused
    draws: tuple[tuple[tuple[str, Any], ...], ...]  # K draws, each (name, value) pairs in a fixed order

    @property
    def n(self) -> int:
        return len(self.draws)

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.draws[0]] if self.draws else []

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.source,
            "sha256": self.sha256,
            "draws": len(self.draws),
            "values": [dict(d) for d in self.draws],
        }


def check_draws(value: Any, p: Callable[[str], None]) -> int:
    """``posterior_draws`` / ``--draws``: a whole number from 1 to :data:`MAX_DRAWS`."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_DRAWS:
        p(f"'posterior_draws' must be a whole number from 1 to {MAX_DRAWS:,}, got {value!r}")
        return 1
    return int(value)


def draw_posterior(
    path: Any,
    n: int,
    root_seed: int,
    city: str,
    check_name: Callable[[str], Any],
    taken: Sequence[str],
    p: Callable[[str], None],
) -> PosteriorDraws | None:
    """Draw ``n`` parameter sets for ``city`` from the posterior at ``path``, checked like the spec's parameters.

    ``check_name(name)`` returns the parameter's info or None (having recorded a problem, e.g. a policy
    parameter whose policy is not in every package); ``taken`` are the names the spec's [parameters] set, which
    a posterior may not set again. Problems go to ``p``; returns None when there were any.
    """
    from urbanize.experiments.posterior import load_posterior
    from urbanize.model.params import coerce

    if not isinstance(path, str | Path) or not str(path).strip():
        p(f"'posterior' must be the path of a posterior.parquet written by 'urbanize calibrate', got {path!r}")
        return None
    try:
        post = load_posterior(path)
    except UrbanizeError as exc:
        p(str(exc))
        return None
    if post.cities and city not in post.cities:
        p(
            f"posterior '{post.source}' was fitted to {', '.join(post.cities)}, not to '{city}'; "
            "calibrate that city or use its posterior"
        )
        return None
    names = post.parameters(city)
    clash = sorted(set(names) & set(taken))
    if clash:
        p(f"parameter '{clash[0]}' is set both in [parameters] and by the posterior; remove it from [parameters]")
        return None
    infos = {}
    for name in names:
        info = check_name(name)
        if info is None:
            return None
        infos[name] = info
    seed = np.random.SeedSequence(root_seed, spawn_key=DRAWS_SPAWN_KEY)
    draws = []
    for d in post.draws(n, seed, city):
        row = []
        for name in names:
            try:
                row.append((name, coerce(infos[name], d[name], "")))
            except UrbanizeError as exc:
                p(f"posterior '{post.source}': {exc}")
                return None
            v = row[-1][1]
            lo, hi = infos[name].lo, infos[name].hi
            if isinstance(v, float) and (not np.isfinite(v) or (lo is not None and v < lo) or (hi is not None and v > hi)):
                p(f"posterior '{post.source}': parameter '{name}' = {v!r} is outside its valid range "
                  f"{infos[name].range_text()}; the file does not fit this model version")
                return None
        draws.append(tuple(row))
    digest = hashlib.sha256(Path(post.source).read_bytes()).hexdigest()
    return PosteriorDraws(source=post.source, sha256=digest, draws=tuple(draws))


def draw_of(replicate: int, replicates: int) -> int:
    """The draw that replicate ``replicate`` of a point runs (``replicates`` per draw)."""
    return replicate // replicates


def replicate_groups(manifest: Mapping[str, Any]) -> dict[int, int] | None:
    """For a sweep folder run with a posterior: replicate -> parameter-set id (identical draws share one id).

    None for a sweep without a posterior.
    """
    spec = manifest.get("spec") or {}
    post = spec.get("posterior")
    if not post:
        return None
    reps = int(spec["replicates"])
    values = post["values"]
    ids: dict[str, int] = {}
    groups = {}
    for j in range(reps * len(values)):
        key = repr(sorted(values[draw_of(j, reps)].items()))
        groups[j] = ids.setdefault(key, len(ids))
    return groups


def posterior_names(manifest: Mapping[str, Any]) -> list[str]:
    """The parameters a sweep folder drew from a posterior (run-table columns that are not indicators)."""
    post = (manifest.get("spec") or {}).get("posterior")
    return list(post["values"][0]) if post and post.get("values") else []


def nested_summary(values: np.ndarray, groups: np.ndarray, conf: float = 0.95) -> dict[str, float]:
    """Mean, interval and variance split of ``values`` (one per run) nested in parameter sets ``groups``.

    With N values in G groups, the sums of squares split exactly, SS_total = SS_within + SS_between; divided by
    N - 1 they give ``var_total`` (the sample variance), ``var_noise`` (E[Var(effect | parameters)], replicate
    noise) and ``var_param`` (Var(E[effect | parameters]), parameter uncertainty), so
    ``var_noise + var_param == var_total``. ``var_param`` also holds the noise of the group means (about
    ``var_noise / replicates``): more replicates per draw shrink that bias. ``param_share_adjusted`` removes it:
    the one-way random-effects ANOVA estimate of the parameter variance component,
    ``s_b^2 = max(0, (MS_between - MS_within) / n0)`` with ``n0 = (N - sum(n_g^2) / N) / (G - 1)``, over
    ``s_b^2 + MS_within`` (0 with one parameter set).

    The interval is ``mean +- t(N-1) * sqrt(var_param + var_noise / N)``: the parameter part does not shrink
    with more runs (the effect is uncertain because the parameters are), the noise part does (the estimate of
    the mean). With one parameter set it is the paired t interval of a plain run. ``p_value`` is the two-sided
    t test of a zero effect with that standard error (equal to the paired t test with one parameter set).
    """
    v = np.asarray(values, dtype=float)
    g = np.asarray(groups)
    keep = ~np.isnan(v)
    v, g = v[keep], g[keep]
    n = int(v.size)
    out = {"n": float(n), "mean": np.nan, "ci_low": np.nan, "ci_high": np.nan, "var_total": np.nan,
           "var_noise": np.nan, "var_param": np.nan, "param_share": np.nan, "noise_share": np.nan,
           "p_value": np.nan, "param_share_adjusted": np.nan, "parameter_sets": float(len(set(g.tolist())))}
    if n == 0:
        return out
    mean = float(v.mean())
    out["mean"] = mean
    if n < 2:
        return out
    ss_within = 0.0
    ss_between = 0.0
    sizes = []
    for key in dict.fromkeys(g.tolist()):
        part = v[g == key]
        m = float(part.mean())
        ss_within += float(((part - m) ** 2).sum())
        ss_between += part.size * (m - mean) ** 2
        sizes.append(part.size)
    out["param_share_adjusted"] = _adjusted_share(ss_within, ss_between, np.array(sizes), n)
    total = float(((v - mean) ** 2).sum()) / (n - 1)
    noise = ss_within / (n - 1)
    param = ss_between / (n - 1)
    se = float(np.sqrt(param + noise / n))
    tq = float(stats.t.ppf(0.5 + conf / 2, n - 1))
    out.update(var_total=total, var_noise=noise, var_param=param, ci_low=mean - tq * se, ci_high=mean + tq * se)
    if total > 0:
        out.update(param_share=param / total, noise_share=noise / total)
        out["p_value"] = float(2 * stats.t.sf(abs(mean) / se, n - 1)) if se > 0 else 0.0
    else:
        out.update(param_share=0.0, noise_share=0.0, p_value=1.0 if mean == 0 else 0.0)
    return out


def _adjusted_share(ss_within: float, ss_between: float, sizes: np.ndarray, n: int) -> float:
    """Parameter share of the variance with the noise of the group means removed (random-effects ANOVA)."""
    groups = sizes.size
    if groups < 2:
        return 0.0
    if n <= groups:  # one run per parameter set: noise and parameters cannot be told apart
        return np.nan
    ms_within = ss_within / (n - groups)
    ms_between = ss_between / (groups - 1)
    n0 = (n - float((sizes**2).sum()) / n) / (groups - 1)
    between = max(0.0, (ms_between - ms_within) / n0)
    total = between + ms_within
    return between / total if total > 0 else 0.0
