"""Oracles for the agreement measures, shared by the core's and the store's property tests: the
reference packages wrapped to say None where a measure is undefined, and Krippendorff's unitizing
alpha computed by brute force straight from shared/reference/agreement.md."""
from __future__ import annotations

import math
import warnings

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa

close = dict(rel=1e-9, abs=1e-9)


def krippendorff_oracle(rows) -> float | None:
    """The package's nominal alpha, or None where it is undefined (NaN or refused)."""
    data = np.array([[np.nan if v is None else v for v in row] for row in rows], dtype=float).T
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            value = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
        except ValueError:  # "There has to be more than one value in the domain."
            return None
    return None if math.isnan(value) else float(value)


def fleiss_oracle(rows) -> float | None:
    complete = [row for row in rows if None not in row]
    if not complete:
        return None
    table, _ = aggregate_raters(np.array(complete))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = fleiss_kappa(table, method="fleiss")
    return None if not math.isfinite(value) else float(value)


def cohen_oracle(a, b) -> float | None:
    if not len(a):
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = cohen_kappa_score(a, b)
    return None if math.isnan(value) else float(value)


def assert_same(ours, oracle, reasons, key):
    """Equal values; where the oracle is undefined, ours is None with a reason in words."""
    if oracle is None:
        assert ours is None, f"{key}: oracle undefined, ours {ours}"
        assert reasons.get(key), f"{key} is None without a reason"
    else:
        assert ours == pytest.approx(oracle, **close), key


def coverage(length: int, spans) -> list[int]:
    covered = [0] * length
    for s, e in spans:
        for i in range(s, e):
            covered[i] = 1
    return covered


# --- Krippendorff's unitizing alpha, brute force from agreement.md ---

def sections(length: int, spans) -> list[tuple[int, int, bool]]:
    """One observer's continuum cut into (begin, end, valued) sections, read character by character."""
    covered = coverage(length, spans)
    out, i = [], 0
    while i < length:
        j = i
        while j < length and covered[j] == covered[i]:
            j += 1
        out.append((i, j, bool(covered[i])))
        i = j
    return out


def distance(g, h) -> int:
    (bg, eg, vg), (bh, eh, vh) = g, h
    if vg and vh:
        return (bg - bh) ** 2 + (eg - eh) ** 2
    if vg and not vh and bh <= bg and eg <= eh:
        return (eg - bg) ** 2
    if vh and not vg and bg <= bh and eh <= eg:
        return (eh - bh) ** 2
    return 0


def brute_unitizing(length: int, observers) -> tuple[dict, float | None]:
    """{category: (D_o, D_e)} and the overall alpha, straight from the formulas."""
    m, big_l = len(observers), length
    categories = {c for obs in observers for c, spans in obs.items() if spans}
    out = {}
    for c in categories:
        secs = [sections(length, obs.get(c, [])) for obs in observers]
        observed = sum(distance(g, h) for i in range(m) for j in range(m) if i != j
                       for g in secs[i] for h in secs[j] if max(g[0], h[0]) < min(g[1], h[1]))
        d_o = observed / (m * (m - 1) * big_l ** 2)
        units = [e - b for sec in secs for b, e, valued in sec if valued]
        gaps = [e - b for sec in secs for b, e, valued in sec if not valued]
        n_c = len(units)
        numerator = sum((n_c - 1) * (2 * lu ** 3 - 3 * lu ** 2 + lu) / 3
                        + lu ** 2 * sum(ly - lu + 1 for ly in gaps if ly >= lu) for lu in units)
        denominator = m * big_l * (m * big_l - 1) - sum(lu * (lu - 1) for lu in units)
        out[c] = (d_o, (2 / big_l) * numerator / denominator)
    total_e = sum(d_e for _, d_e in out.values() if d_e > 0)
    total_o = sum(d_o for d_o, d_e in out.values() if d_e > 0)
    return out, (1 - total_o / total_e if total_e > 0 else None)
