"""Reference check for leefbaar-survey: recompute the weighted means, shares, standard errors
and 95 % intervals of the SYNTHETIC 2018 panel with samplics, and compare them with Leefbaar's.

Usage (from the repository root):

    cargo run -p leefbaar-survey --example reference_numbers -- target/survey-reference.json
    python scripts/survey/reference.py target/survey-reference.json

Two checks:
1. Raking: samplics' `SampleWeight.rake` (unbounded IPF) on the design weights and the margins
   `province x age group x sex` and `municipality` from `population_2019_adults.csv` must give
   Leefbaar's weights (default `RakeParams`).
2. Estimation: with Leefbaar's weights, samplics' `TaylorEstimator` must give the same means,
   shares, standard errors and 95 % intervals (ratio-mean linearisation, with-replacement
   single-stage design, unstratified and stratified by municipality, t-based interval with
   n - H degrees of freedom).
Exit status 1 on any difference above the tolerance (1e-6, absolute).
"""

import csv
import json
import pathlib
import sys
import warnings

import numpy as np

warnings.filterwarnings("ignore", category=FutureWarning)
from samplics.estimation import TaylorEstimator  # noqa: E402
from samplics.utils.types import PopParam, SinglePSUEst  # noqa: E402
from samplics.weighting import SampleWeight  # noqa: E402

TOLERANCE = 1e-6
ROOT = pathlib.Path(__file__).resolve().parents[2]
DATA = ROOT / "data" / "survey"


def load():
    with open(DATA / "burgerpanel_2018_synthetic.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    with open(DATA / "population_2019_adults.csv", newline="", encoding="utf-8") as f:
        population = list(csv.DictReader(f))
    province_of = {r["municipality"]: r["province"] for r in population}
    for r in rows:
        r["province"] = province_of[r["area_code"]]
    return rows, population


def samplics_rake(rows, population):
    group_totals, municipality_totals = {}, {}
    for cell in population:
        group = f"{cell['province']} {cell['age_group']} {cell['sex']}"
        group_totals[group] = group_totals.get(group, 0.0) + float(cell["population"])
        municipality_totals[cell["municipality"]] = (
            municipality_totals.get(cell["municipality"], 0.0) + float(cell["population"])
        )
    design = np.array([float(r["design_weight"]) for r in rows])
    groups = np.array([f"{r['province']} {r['age_group']} {r['sex']}" for r in rows])
    municipalities = np.array([r["area_code"] for r in rows])
    return SampleWeight().rake(
        samp_weight=design,
        margins={"group": groups, "municipality": municipalities},
        control={"group": group_totals, "municipality": municipality_totals},
        tol=1e-12,
        ctrl_tol=1e-12,
        max_iter=1000,
    )


def samplics_estimate(y, weights, stratum, domain, domain_value):
    estimator = TaylorEstimator(PopParam.mean)
    estimator.estimate(
        y=y,
        samp_weight=weights,
        stratum=stratum,
        psu=np.arange(len(y)),
        domain=domain,
        single_psu=SinglePSUEst.certainty,
        remove_nan=False,
    )
    key = domain_value if domain is not None else None
    def pick(d):
        return d[key] if key is not None else d
    return (
        float(pick(estimator.point_est)),
        float(pick(estimator.stderror)),
        float(pick(estimator.lower_ci)),
        float(pick(estimator.upper_ci)),
    )


def main():
    leefbaar = json.load(open(sys.argv[1], encoding="utf-8"))
    rows, population = load()
    weights = np.array(leefbaar["weights"], dtype=float)
    assert len(weights) == len(rows), "weights and respondents differ in number"
    raked = samplics_rake(rows, population)
    weight_difference = float(np.max(np.abs(raked - weights)))
    print(
        f"raking check: {len(rows)} weights compared with samplics, largest difference "
        f"{weight_difference:.3e} (tolerance {TOLERANCE:g})"
    )
    worst = 0.0
    failures = 0 if weight_difference <= TOLERANCE else 1
    checked = 1
    for e in leefbaar["estimates"]:
        question, code = e["question"], e["code"]
        answered = np.array([r[question] != "" for r in rows])
        if code:
            y = np.array([1.0 if r[question] == code else 0.0 for r in rows])
        else:
            y = np.array([float(r[question]) if r[question] else 0.0 for r in rows])
        if e["domain_kind"] == "all":
            member = answered
        elif e["domain_kind"] == "province":
            member = answered & np.array([r["province"] == e["domain"] for r in rows])
        else:
            member = answered & np.array([r[e["domain_kind"]] == e["domain"] for r in rows])
        domain = np.where(member, "in", "out")
        stratum = (
            np.array([r["area_code"] for r in rows])
            if e["design"] == "municipality_strata"
            else None
        )
        reference = samplics_estimate(y, weights, stratum, domain, "in")
        ours = (e["value"], e["se"], e["ci_low"], e["ci_high"])
        n_reference = int(member.sum())
        difference = max(abs(a - b) for a, b in zip(ours, reference))
        worst = max(worst, difference)
        checked += 1
        if difference > TOLERANCE or n_reference != e["n"]:
            failures += 1
            print(
                f"MISMATCH {e['design']} {e['domain_kind']}={e['domain']} {question} {code}: "
                f"leefbaar {ours} n={e['n']}, samplics {reference} n={n_reference}"
            )
    print(f"reference check: {checked - 1} estimates compared with samplics, largest difference {worst:.3e} (tolerance {TOLERANCE:g})")
    print(f"{checked - failures} passed, {failures} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
