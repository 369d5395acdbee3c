"""EMA Workbench on the urbanization model: 20 experiments, then PRIM scenario discovery.

Question: under which behavioural conditions and policy settings does Changshu's registration rate after two
years stay low (in the bottom third of the experiments)?

    pip install 'urbanize[ema]'
    python docs/examples/ema_prim.py            # about 20 s on one core; URBANIZE_EXAMPLE_HOUSEHOLDS shrinks it

Set-up (docs/mesa.md explains each choice): two behavioural uncertainties over narrowed ranges; levers: the
rented-residence hukou policy switched on or off, with its contribution years (a setting that acts only where
the policy is on); 5 scenarios x 4 policies = 20 experiments on common random numbers (one numpy seed).
"""

from __future__ import annotations

import logging
import os

import numpy as np
from ema_workbench import SequentialEvaluator, ema_logging
from ema_workbench.analysis import prim

from urbanize.experiments.ema import ema_model

HOUSEHOLDS = int(os.environ.get("URBANIZE_EXAMPLE_HOUSEHOLDS", "500"))


def main() -> None:
    ema_logging.log_to_stderr(logging.WARNING)
    model = ema_model(
        city="changshu",
        policies="status_quo",
        levers=["rented_residence_hukou__contribution_years"],  # brings the policy's on/off lever with it
        uncertainties=["arrival_rate", "register_const"],
        ranges={"arrival_rate": (0.003, 0.02), "register_const": (-6.0, -3.0)},
        outcomes=["registration_rate", "hukou_conversions_migrant", "residents"],
        households=HOUSEHOLDS,
        months=24,
        seed=np.int64(2024),  # a numpy integer works as well as an int
    )
    print("uncertainties:", [u.name for u in model.uncertainties])
    print("levers:", [lever.name for lever in model.levers])

    with SequentialEvaluator(model) as evaluator:  # MultiprocessingEvaluator(model) for several cores
        experiments, outcomes = evaluator.perform_experiments(scenarios=5, policies=4)
    print(f"{len(experiments)} experiments")

    # PRIM on the uncertainties and levers: where is the registration rate in its bottom third?
    rate = outcomes["registration_rate"]
    low = rate <= np.quantile(rate, 1 / 3)
    x = experiments.drop(columns=["model", "policy", "scenario", "rng"], errors="ignore")
    # every dimension as a float (on/off levers as 0/1): EMA 3.0's PRIM writes fractional box limits into
    # integer and boolean columns, which pandas 3 refuses
    x = x.astype(float)
    print(f"registration rate at month 24: {rate.min():.3f} to {rate.max():.3f}; low: <= {rate[low].max():.3f}")
    finder = prim.Prim(x, low, mass_min=0.1)
    box = finder.find_box()
    print(box.peeling_trajectory[["coverage", "density", "mass", "res_dim"]].to_string())
    ((stats, limits),) = box.inspect(style="data")  # the chosen box: its statistics and limits
    print(stats.to_string())
    print(limits.to_string())

if __name__ == "__main__":
    main()
