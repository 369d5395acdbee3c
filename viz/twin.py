"""The model the app drives: the chosen policies and, alongside, the same city under ``status_quo``.

``TwinRun`` is a thin ``mesa.Model`` holding two ``UrbanizationModel`` runs built from the same city, size,
parameters and seed; they step in lock-step, so any difference between them is the effect of the policies
(common random numbers). SolaraViz rebuilds it on Reset as ``TwinRun(config=...)``.

Bad input never escapes: an error while building or stepping is kept in ``error`` (a one-line message for the
page) and the run stops, so the page shows the message instead of crashing. A session's run is bounded: at most
``MONTHS_MAX`` months and ``ROWS_MAX`` household rows per run (``viz.config``), each with a one-line message.
"""

from __future__ import annotations

import time
import traceback
from typing import Any

import mesa
import pandas as pd

from urbanize.model.errors import UrbanizeError
from urbanize.viz.config import (
    MONTHS_MAX,
    ROWS_MAX,
    VizConfig,
    behaviour_kwargs,
    check_households,
    check_seed,
    policy_params,
)

BASELINE = "status_quo"


def build_model(city: str, policies: str, households: int, seed: int, behaviour: dict[str, Any],
                policy_params: dict[str, dict[str, Any]] | None = None):
    """Build one ``UrbanizationModel`` (imported lazily so the app imports even while the model changes)."""
    from urbanize.model import UrbanizationModel

    return UrbanizationModel(city=city, policies=policies, households=households, rng=seed,
                             policy_params=policy_params or None, **behaviour)


class TwinRun(mesa.Model):
    """The live run of the page: ``main`` under the chosen policies, ``twin`` under the status quo.

    Attributes:
        config: the settings it was built from (a copy: later edits do not change a running model).
        main: the policy run, or None when it could not be built.
        twin: the status-quo run with the same seed, or None when the twin is off or equals ``main``.
        error: a one-line message for the page when something went wrong, else None.
        notice: a one-line message when the run stopped at a session bound (months, household rows), else None.
        step_seconds: wall time of the last step (both runs).
    """

    def __init__(self, config: VizConfig | None = None) -> None:
        config = (config or VizConfig()).copy()
        try:  # the wrapper's own generator is never drawn from; a bad seed is reported below, not raised here
            wrapper_seed = check_seed(config.seed)
        except UrbanizeError:
            wrapper_seed = 0
        super().__init__(rng=wrapper_seed)
        self.config = config
        self.main: Any = None
        self.twin: Any = None
        self.error: str | None = None
        self.notice: str | None = None  # why the run stopped without an error (a session bound)
        self.step_seconds = 0.0
        self.build_seconds = 0.0
        self._frames: dict[str, tuple[int, pd.DataFrame]] = {}
        t0 = time.perf_counter()
        try:
            households = check_households(config.households)
            seed = check_seed(config.seed)
            behaviour = behaviour_kwargs(config)
            spec = config.policy_spec()
            self.main = build_model(config.city, spec, households, seed, behaviour, policy_params(config))
            if config.twin and not self.is_baseline:
                self.twin = build_model(config.city, BASELINE, households, seed, behaviour)
        except UrbanizeError as exc:
            self._fail(str(exc))
        except Exception as exc:  # a model bug must not blank the page: show it, log the traceback
            traceback.print_exc()
            self._fail(f"could not build the model: {type(exc).__name__}: {exc}")
        self.build_seconds = time.perf_counter() - t0

    def _fail(self, message: str) -> None:
        self.error = message
        self.running = False

    # --- what the page shows ------------------------------------------------------------------------------
    @property
    def ok(self) -> bool:
        return self.main is not None and self.error is None

    @property
    def is_baseline(self) -> bool:
        from urbanize.policies import registry

        try:
            return registry.expand(self.config.policy_spec()) == [BASELINE]
        except UrbanizeError:
            return False

    @property
    def month(self) -> int:
        return int(getattr(self.main, "month", self.steps or 0)) if self.main is not None else 0

    @property
    def active_policies(self) -> list[str]:
        from urbanize.policies import registry

        try:
            return registry.expand(self.config.policy_spec())
        except UrbanizeError:
            return []

    def changed_parameters(self) -> list[str]:
        """``policy.param=value`` of every policy parameter of the running policies that is not its default."""
        from urbanize.model.params import describe

        out = []
        for policy in getattr(self.main, "policy_set", []):
            params = getattr(policy, "params", None)
            if params is None:
                continue
            for info in describe(type(params)):
                value = getattr(params, info.name)
                if value != info.default:
                    out.append(f"{policy.name}.{info.name}={value:g}" if isinstance(value, float)
                               else f"{policy.name}.{info.name}={value}")
        return out

    def indicators(self, which: str = "main") -> pd.DataFrame | None:
        """Indicator table of one run (cached per month: several charts read it each step)."""
        m = self.main if which == "main" else self.twin
        if m is None:
            return None
        key = int(getattr(m, "month", self.steps or 0))
        cached = self._frames.get(which)
        if cached is not None and cached[0] == key:
            return cached[1]
        df = m.indicators()
        self._frames[which] = (key, df)
        return df

    # --- the schedule -------------------------------------------------------------------------------------
    def limit_reached(self) -> str | None:
        """Why the run may not take another month (the session's bounds), or None."""
        if self.month >= MONTHS_MAX:
            return (f"the app runs at most {MONTHS_MAX} months ({MONTHS_MAX // 12} years) per session; "
                    "press Reset, or use 'urbanize run' for longer runs")
        rows = max(int(getattr(m.pop, "n", 0)) for m in (self.main, self.twin) if m is not None)
        if rows > ROWS_MAX:
            return (f"the city has grown to {rows:,} household agents, above the app's {ROWS_MAX:,}; "
                    "press Reset with fewer households, or use 'urbanize run' for larger cities")
        return None

    def step(self) -> None:
        """One month for both runs, in lock-step (no step beyond the session's bounds: a message instead)."""
        if not self.ok:
            self.running = False
            return
        limit = self.limit_reached()
        if limit is not None:
            self.notice = limit
            self.running = False
            return
        t0 = time.perf_counter()
        try:
            self.main.step()
            if self.twin is not None:
                self.twin.step()
        except UrbanizeError as exc:
            self._fail(str(exc))
        except Exception as exc:
            traceback.print_exc()
            self._fail(f"the model stopped in month {self.month}: {type(exc).__name__}: {exc}")
        self.step_seconds = time.perf_counter() - t0
        if self.ok and self.limit_reached() is not None:  # stop Play at the bound, with the reason shown
            self.notice = self.limit_reached()
            self.running = False
