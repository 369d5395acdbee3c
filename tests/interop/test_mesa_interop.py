"""The model as Mesa's own tools expect it: a real ``mesa.DataCollector`` at ``model.datacollector`` holding the
indicators, ``mesa.batch_run`` over model and policy parameters given as flat keywords, numpy numbers accepted
wherever a number is."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import mesa
import numpy as np
import pandas as pd
import pytest

from urbanize import UrbanizationModel
from urbanize.model.errors import ParameterError
from urbanize.model.indicators import registry


def test_datacollector_is_a_mesa_datacollector_holding_the_indicators() -> None:
    m = UrbanizationModel(households=200, rng=3)
    m.run(3)
    dc = m.datacollector
    assert isinstance(dc, mesa.DataCollector)
    assert list(dc.model_reporters) == ["month", *registry()]
    assert dc._collection_steps == [0.0, 1.0, 2.0, 3.0]  # Mesa's model time of each collection
    frame = dc.get_model_vars_dataframe()
    assert frame["month"].tolist() == [0, 1, 2, 3]
    pd.testing.assert_frame_equal(m.indicators().drop(columns="date"), frame)
    assert frame["residents"].iloc[-1] == pytest.approx(m.datacollector.latest()["residents"])


def test_a_reporter_added_the_mesa_way_is_collected_alongside() -> None:
    m = UrbanizationModel(households=200, rng=3)
    m.datacollector._new_model_reporter("households_now", lambda model: int(model.pop.n))
    m.datacollector.model_vars["households_now"] = [None]  # month 0 was collected before it existed
    m.run(2)
    assert len(m.datacollector.model_vars["households_now"]) == 3
    assert m.datacollector.model_vars["households_now"][-1] == m.pop.n
    assert m.datacollector.get_model_vars_dataframe().shape == (3, len(registry()) + 2)


def test_numpy_numbers_are_accepted_wherever_a_number_is() -> None:
    plain = UrbanizationModel(households=200, rng=11, arrival_rate=0.01, policies="changshu_pilot")
    plain.run(3)
    m = UrbanizationModel(
        households=np.int64(200),
        rng=np.int64(11),
        arrival_rate=np.float64(0.01),
        policies="changshu_pilot",
        migrant_education__tuition_exemption=np.bool_(True),
        public_rental_housing__lag_months=np.int32(6),
    )
    m.run(np.int64(3))
    assert m.policy_set.get("public_rental_housing").params.lag_months == 6
    assert type(m.policy_set.get("migrant_education").params.tuition_exemption) is bool
    pd.testing.assert_frame_equal(m.indicators(), plain.indicators())  # the same run as with Python numbers


@pytest.mark.parametrize("key", ["rental_market__rent_subsidy", "rental_market.rent_subsidy"])
def test_policy_parameters_as_flat_keywords(key: str) -> None:
    m = UrbanizationModel(households=200, rng=2, policies="changshu_pilot", **{key: 900.0})
    assert m.policy_set.get("rental_market").params.rent_subsidy == 900.0
    assert m.parameters()["policy_params"]["rental_market"]["rent_subsidy"] == 900.0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"rental_market__rent_subsidy": 1.0}, "which is not active; add it to the policies"),
        ({"rental_market__nonsense": 1.0, "policies": "changshu_pilot"}, "unknown rental_market parameter"),
        ({"__rent_subsidy": 1.0}, "must be policy__parameter"),
        (
            {
                "rental_market.rent_subsidy": 1.0,
                "policy_params": {"rental_market": {"rent_subsidy": 2.0}},
                "policies": "changshu_pilot",
            },
            "given twice",
        ),
    ],
)
def test_bad_flat_keywords_are_one_line_errors(kwargs: dict, message: str) -> None:
    with pytest.raises(ParameterError, match=message):
        UrbanizationModel(households=100, rng=1, **kwargs)


BATCH_RUN = textwrap.dedent(
    """
    import json, sys
    import mesa
    from urbanize import UrbanizationModel

    if __name__ == "__main__":
        results = mesa.batch_run(
            UrbanizationModel,
            parameters={
                "households": 300,
                "policies": "changshu_pilot",
                "arrival_rate": [0.0, 0.03],
                "rental_market__rent_subsidy": [0.0, 3000.0],
            },
            max_steps=6,
            rng=[1],
            number_processes=1,
            display_progress=False,
        )
        json.dump(results, sys.stdout)
    """
)


@pytest.mark.slow
def test_mesa_batch_run_sweeps_a_model_and_a_policy_parameter(tmp_path) -> None:
    # in a subprocess: batch_run forces the "spawn" start method on the whole process
    script = tmp_path / "batch.py"
    script.write_text(BATCH_RUN)
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=300, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr[-2000:]
    df = pd.DataFrame(json.loads(done.stdout))
    assert len(df) == 4 and (df["month"] == 6).all() and (df["Step"] == 6).all()
    assert set(registry()) <= set(df.columns)
    by = df.set_index(["arrival_rate", "rental_market__rent_subsidy"])
    for subsidy in (0.0, 3000.0):
        assert by.loc[(0.0, subsidy), "arrivals"] == 0  # no inflow at all
        assert by.loc[(0.03, subsidy), "arrivals"] > 0
        assert by.loc[(0.03, subsidy), "residents"] > by.loc[(0.0, subsidy), "residents"]
    for rate in (0.0, 0.03):  # the rent subsidy is paid from the housing budget
        assert by.loc[(rate, 3000.0), "fiscal_spend_housing"] > by.loc[(rate, 0.0), "fiscal_spend_housing"]
