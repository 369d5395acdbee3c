"""Who lives in a starting or arriving household: head, spouse, children and co-resident parents, by sex and age.

Each household is drawn as a small family: a head (age and sex by household type), a spouse of the other sex
(husbands about two years older than their wives: assumed, close to the mean age gap at first marriage in the
2010 census), the couple's children ever born (parity by hukou type, see ``BORN``), and the head's parents for
some younger local heads. Children are born to the mother between ages 21 and 31 (first child) with 2-6 years
between births (assumed); a child lives in the household while under 18 (for migrants only in family
households: the others' children are left behind at origin), a grown child 18-29 half the time (unmarried and at
home, assumed), and for heads aged 65 and over an older child one time in five (assumed).

Migrants are young (heads about 32 +/- 9 years), locals older (heads 45-47 on average, up to 90), so that 17-22 %
of the residents of local households are aged 60 and over and about 2 % of migrants; the four cities then have
11-15 % of residents aged 60 and over (Changshu, with 42 % migrants, 11 %), against 13.3 % nationally at the 2010
census (NBS, Tabulation on the 2010 Population Census; table number not checked). The cities are compared with
the national figure, since city figures by hukou were not at hand. Elderly-headed households exist from the start.
"""

from __future__ import annotations

import numpy as np

from urbanize.model.members import FEMALE, GIRL_SHARE, MALE, N_BANDS, band_of

#: children ever born to a couple, probabilities of 0, 1, 2, 3 (assumed, after the birth rules of the period:
#: one child for most urban-hukou couples, a second for many rural ones)
BORN = {True: np.array([0.08, 0.80, 0.12, 0.0]), False: np.array([0.05, 0.40, 0.45, 0.10])}

#: per household type: head age mean, sd, lowest, highest; female heads; spouse present (head under 70, 70+);
#: chance of each of two parents living with a head under 60 (assumed)
TYPES = {
    "migrant": (32.0, 9.0, 18.0, 70.0, 0.25, (0.0, 0.0), 0.0),  # spouses: by family_share
    "local_farmer": (45.0, 13.0, 20.0, 90.0, 0.3, (0.9, 0.65), 0.25),
    "urban_poor": (47.0, 14.0, 20.0, 90.0, 0.3, (0.6, 0.45), 0.20),
    "urban_resident": (45.0, 13.0, 20.0, 90.0, 0.3, (0.9, 0.65), 0.22),
}


def compose(rng: np.random.Generator, htype: str, k: int, family_share: float) -> dict[str, np.ndarray]:
    """Draw ``k`` households of one type: ``members`` (2, N_BANDS, k), ``head_age``, ``head_female``, ``parity``
    and ``first_girl``.

    Migrants come as families (spouse and children) with chance ``family_share``, as a couple without children
    with chance 0.3 otherwise (assumed), else alone; one family in twenty brings a parent.
    """
    if htype not in TYPES:
        raise ValueError(f"unknown household type '{htype}'")
    mean, sd, lo, hi, female_share, spouse_p, parent_p = TYPES[htype]
    migrant = htype == "migrant"
    urban = htype in ("urban_poor", "urban_resident")
    # float32 as the column holds it, so the head's band here is the band of the stored age
    head_age = np.clip(rng.normal(mean, sd, k), lo, hi).astype(np.float32).astype(np.float64)
    head_female = rng.random(k) < female_share
    if migrant:
        family = rng.random(k) < family_share
        spouse = family | (rng.random(k) < 0.3)
    else:
        family = np.ones(k, dtype=bool)
        spouse = rng.random(k) < np.where(head_age < 70, spouse_p[0], spouse_p[1])
    owners, sexes, ages = [np.arange(k)], [head_female.astype(np.int64)], [head_age]
    gap = 2.0 + rng.normal(0.0, 1.5, k)  # husband's years over the wife (assumed)
    spouse_age = np.maximum(head_age + np.where(head_female, gap, -gap), 18.0)
    owners.append(np.flatnonzero(spouse))
    sexes.append(1 - head_female[spouse].astype(np.int64))
    ages.append(spouse_age[spouse])
    mother_age = np.where(head_female, head_age, np.where(spouse, spouse_age, head_age - 2.0))
    # children ever born, oldest first; parity counts those born by now
    born_p = BORN[urban]
    n_born = rng.choice(born_p.size, size=k, p=born_p)
    n_born[~spouse & ~head_female & (rng.random(k) < 0.5)] = 0  # half the lone men never had children (assumed)
    child_age = mother_age - rng.uniform(21.0, 31.0, k)
    parity = np.zeros(k, dtype=np.int64)
    first_girl = np.zeros(k, dtype=bool)
    for j in range(int(n_born.max(initial=0))):
        has = (n_born > j) & (child_age >= 0)
        girl = rng.random(k) < GIRL_SHARE
        if j == 0:
            first_girl = has & girl
        parity += has
        u = rng.random(k)
        if migrant:
            home = family & (child_age < 18)
        else:
            home = (child_age < 18) | ((child_age < 30) & (u < 0.5)) | ((head_age >= 65) & (u < 0.2))
        live = np.flatnonzero(has & home)
        owners.append(live)
        sexes.append(girl[live].astype(np.int64))
        ages.append(child_age[live])
        child_age = child_age - rng.uniform(2.0, 6.0, k)
    # the head's parents
    parents_p = np.where(head_age < 60, parent_p, 0.0) if not migrant else np.where(family, 0.2, 0.0)
    for sex in (MALE, FEMALE):
        age = head_age + rng.uniform(24.0, 32.0, k) - 2.0 * sex
        live = np.flatnonzero((rng.random(k) < (parents_p if not migrant else parents_p / 2)) & (age < 95))
        owners.append(live)
        sexes.append(np.full(live.size, sex))
        ages.append(age[live])
    members = np.zeros((2, N_BANDS, k), dtype=np.int16)
    owner, sex_all, age_all = np.concatenate(owners), np.concatenate(sexes), np.concatenate(ages)
    np.add.at(members, (sex_all, band_of(age_all), owner), 1)
    return {
        "members": members,
        "head_age": head_age.astype(np.float32),
        "head_female": head_female,
        "parity": np.minimum(parity, 10).astype(np.int8),
        "first_girl": first_girl,
    }
