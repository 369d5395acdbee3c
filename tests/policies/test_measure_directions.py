"""Yanta's city-life skills and Jinnan's disability assistance, exchanged villagers' training, community service
centres and community organizations each move their own
indicator against the status quo (or the measure they build on), on common seeds, by a margin well above the spread
across seeds.

Measured at 1,000 households after 24 months, seeds 0-3 (mean, sd across seeds): disability assistance in Jinnan:
share of disabled persons assisted 0.03 -> 0.61; exchanged villagers' employment in Jinnan (on top of
``homestead_exchange``): share of exchanged heads trained 0.016 (0.007) -> 0.130 (0.012); local-farmer households in
any pension scheme in Jinnan 0.794 (0.017) -> 0.867 (0.006) with community service centres.

Two effects are small beside the spread across seeds and are judged paired, over more seeds (issue 11; measured
with the calibrated defaults and again with the settle_const they replaced, on the same seeds, to rule the
calibration out):

* city-life skills: households aware of the registration system +0.066 (standard error 0.009, seeds 0-7) after 24
  months; the registration rate moves by only +0.012 (0.013), inside the noise (before the issue 9 fix, over 32
  seeds: +0.012 (0.007) with settle_const -1.906, +0.015 (0.008) with -1.47): see ``policies/city_life.py``. A
  hand-built world checks that the course leads its attendees to register (tests/services/test_yanta_jinnan_measures.py);
* community organizations: local farmers in any pension scheme +0.025 (0.005, seeds 0-11) after 24 months, while
  the reform of the committees is still rolling out, +0.046 (0.005) after 48 (``policies/community_organizations.py``).

docs/coverage.md ("Measures whose effect is small") has the figures and the reasons.
"""

from __future__ import annotations

from functools import partial

import pytest
from direction_helpers import assert_beyond_noise, paired_gains
from direction_helpers import assert_raises as _assert_raises

SEEDS = (0, 1, 2, 3)
HOUSEHOLDS = 1000
MONTHS = 24
NAMES = (
    "awareness_registration",
    "registration_rate",
    "disabled_assisted_share",
    "exchanged_heads_trained_share",
    "pension_coverage_local_farmer_any",
)

pytestmark = pytest.mark.slow

#: every comparison of this module runs for all of ``NAMES``, so the tests share their runs
assert_raises = partial(_assert_raises, names=NAMES, seeds=SEEDS, households=HOUSEHOLDS, months=MONTHS)


def test_city_life_skills_teach_households_about_the_registration_system() -> None:
    gain = paired_gains(
        "yanta",
        "status_quo",
        "city_life_skills",
        "awareness_registration",
        seeds=range(8),
        households=HOUSEHOLDS,
        months=MONTHS,
    )
    assert_beyond_noise(gain, 0.03)


def test_disability_assistance_reaches_disabled_persons() -> None:
    assert_raises("jinnan", "status_quo", "disability_assistance", {"disabled_assisted_share": 0.3})


def test_exchanged_villagers_are_trained() -> None:
    assert_raises(
        "jinnan",
        "homestead_exchange",
        "homestead_exchange,exchanged_villager_employment",
        {"exchanged_heads_trained_share": 0.07},
    )


def test_community_service_centres_raise_farmers_pension_coverage() -> None:
    assert_raises(
        "jinnan", "status_quo", "community_service_centres", {"pension_coverage_local_farmer_any": 0.04}
    )


def test_community_organizations_raise_farmers_pension_coverage_once_the_reform_has_spread() -> None:
    """Judged after 48 months, paired over 8 seeds: the committees are reformed over the first 24 months and
    households join organizations a few in a hundred a month, so at 24 months the gain (+0.025) is about the
    spread across seeds at 1,000 households (0.018); at 48 months it is +0.054 (standard error 0.004, seeds 0-7)."""
    gain = paired_gains(
        "jinnan",
        "status_quo",
        "community_organizations",
        "pension_coverage_local_farmer_any",
        seeds=range(8),
        households=HOUSEHOLDS,
        months=48,
    )
    assert_beyond_noise(gain, 0.015)
