#!/usr/bin/env python3
"""Generates jb-metrics test fixtures and their expected output, computed independently.

Each case folder gets:
  input.jsonl     grade records (seeded, synthetic)
  options.json    the jb-metrics options the test runs with
  expected.jsonl  the records jb-metrics must write, in order

The expected numbers come from scipy and numpy, not from jb's formulas:
  Wilson intervals      scipy.stats.binomtest(k, n).proportion_ci(method="wilson")
  McNemar exact p       scipy.stats.binomtest(b, b + c, 0.5).pvalue
  Fisher exact p        scipy.stats.fisher_exact
  latency quantiles     numpy.percentile (linear interpolation) on whole milliseconds
  correlation           numpy.corrcoef
  Brier, ECE, precision at coverage, dollar and Coryat scores, Newcombe's intervals:
                        written out here from their definitions (see docs/jb-metrics.md)

Run from anywhere:  python3 Tests/JBMetricsTests/Fixtures/make_fixtures.py
Requires scipy >= 1.7 and numpy.
"""
import json
import math
import os
import random

import numpy as np
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))


def dumps(o):
    return json.dumps(o, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


# ---------------------------------------------------------------- statistics

def wilson(k, n, level):
    if n == 0:
        return None, None
    ci = stats.binomtest(k, n).proportion_ci(confidence_level=level, method="wilson")
    return float(ci.low), float(ci.high)


def z_of(level):
    return float(stats.norm.ppf(0.5 + level / 2))


def newcombe_unpaired(k1, n1, k2, n2, level):
    if n1 == 0 or n2 == 0:
        return None, None
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = wilson(k1, n1, level)
    l2, u2 = wilson(k2, n2, level)
    d = p1 - p2
    lo = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    hi = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return max(-1.0, lo), min(1.0, hi)


def newcombe_paired(a, b, c, d, level):
    """Newcombe (1998) method 10: a both right, b first only, c second only, d neither."""
    n = a + b + c + d
    if n == 0:
        return None, None
    p1, p2 = (a + b) / n, (a + c) / n
    l1, u1 = wilson(a + b, n, level)
    l2, u2 = wilson(a + c, n, level)
    margins = (a + b) * (c + d) * (a + c) * (b + d)
    # Newcombe's phi-hat: ad - bc reduced by n/2 when above it, 0 between 0 and n/2, kept below 0.
    cross = a * d - b * c
    if cross > n / 2:
        cross -= n / 2
    elif cross >= 0:
        cross = 0
    phi = 0.0 if margins == 0 else cross / math.sqrt(margins)
    theta = (b - c) / n
    delta = math.sqrt(max(0.0, (p1 - l1) ** 2 - 2 * phi * (p1 - l1) * (u2 - p2) + (u2 - p2) ** 2))
    eps = math.sqrt(max(0.0, (u1 - p1) ** 2 - 2 * phi * (u1 - p1) * (p2 - l2) + (p2 - l2) ** 2))
    return max(-1.0, theta - delta), min(1.0, theta + eps)


def mcnemar(b, c):
    if b + c == 0:
        return 1.0
    return float(stats.binomtest(b, b + c, 0.5).pvalue)


def round_half_up(x):
    return int(math.floor(x + 0.5))


# ---------------------------------------------------------------- one group

def stake(r, final_stake):
    if r.get("daily_double") is True and r.get("wager") is not None:
        return r["wager"]
    if r.get("value") is not None:
        return r["value"]
    if r.get("round") == "Final Jeopardy!" and final_stake is not None:
        return final_stake
    return None


def coryat(r):
    if r.get("round") in ("Final Jeopardy!", "Tiebreaker") or r.get("value") is None:
        return None
    g = r["grade"]
    if g["correct"] is True:
        return r["value"]
    if g["answered"] and g["correct"] is False:
        return 0 if r.get("daily_double") is True else -r["value"]
    return 0


def precision_at(pairs, coverage):
    """pairs: (confidence, correct) of answered records. Ties at the cut count in proportion."""
    m = len(pairs)
    if m == 0:
        return 0, None
    k = min(m, max(1, math.ceil(coverage * m - 1e-9)))
    keyed = sorted(((round_half_up(c * 10000), y) for c, y in pairs), key=lambda t: -t[0])
    taken, right, i = 0, 0.0, 0
    while taken < k:
        key = keyed[i][0]
        tie = [y for kk, y in keyed if kk == key]
        use = min(len(tie), k - taken)
        right += use * (sum(tie) / len(tie))
        taken += use
        i += len(tie)
    return k, right / k


def group_metrics(rs, opts):
    level = opts["confidence"]
    n = len(rs)
    answered = sum(1 for r in rs if r["grade"]["answered"])
    correct = sum(1 for r in rs if r["grade"]["correct"] is True)
    wrong = sum(1 for r in rs if r["grade"]["answered"] and r["grade"]["correct"] is False)
    errors = sum(1 for r in rs if r.get("error") is not None)
    refusals = sum(1 for r in rs if r.get("error") is None and r["grade"].get("method") == "refusal")
    o = {"n": n, "answered": answered, "correct": correct, "wrong": wrong, "errors": errors,
         "refusals": refusals, "confidence": level}
    # Accuracy over the questions asked: refusals and empty replies are misses, failed
    # requests (error set) are left out.
    asked = n - errors
    o["accuracy"] = correct / asked if asked else None
    o["ci_low"], o["ci_high"] = wilson(correct, asked, level)
    o["accuracy_answered"] = correct / answered if answered else None
    o["answered_ci_low"], o["answered_ci_high"] = wilson(correct, answered, level)

    score = smax = scored = 0
    for r in rs:
        s = stake(r, opts.get("final_stake"))
        if s is None:
            continue
        scored += 1
        smax += s
        if r["grade"]["correct"] is True:
            score += s
        elif r["grade"]["answered"]:
            score -= s
    o["scored"] = scored
    o["score"] = score if scored else None
    o["score_max"] = smax if scored else None
    o["score_share"] = score / smax if smax > 0 else None
    cs = [c for c in (coryat(r) for r in rs) if c is not None]
    o["coryat_n"] = len(cs)
    o["coryat"] = sum(cs) if cs else None

    lat = [r["latency_ms"] for r in rs
           if r.get("latency_ms") is not None and r.get("error") is None and not r.get("cached", False)]
    o["latency_n"] = len(lat)
    o["latency_mean_ms"] = float(np.mean(lat)) if lat else None
    if lat:
        q = np.percentile([round_half_up(x) for x in lat], [50, 95, 99])
        o["latency_p50_ms"], o["latency_p95_ms"], o["latency_p99_ms"] = (float(x) for x in q)
    else:
        o["latency_p50_ms"] = o["latency_p95_ms"] = o["latency_p99_ms"] = None

    pt = [r["tokens"]["prompt"] for r in rs if r.get("tokens") and r["tokens"].get("prompt") is not None]
    ct = [r["tokens"]["completion"] for r in rs if r.get("tokens") and r["tokens"].get("completion") is not None]
    o["prompt_tokens"] = sum(pt) if pt else None
    o["completion_tokens"] = sum(ct) if ct else None
    o["prompt_tokens_mean"] = sum(pt) / len(pt) if pt else None
    o["completion_tokens_mean"] = sum(ct) / len(ct) if ct else None
    costs = [r["cost_usd"] for r in rs if r.get("cost_usd") is not None]
    o["cost_n"] = len(costs)
    o["cost_usd"] = math.fsum(costs) if costs else None
    o["cost_per_correct"] = math.fsum(costs) / correct if costs and correct else None

    pairs = [(r["grade"]["confidence"], 1 if r["grade"]["correct"] else 0) for r in rs
             if r["grade"]["answered"] and r["grade"].get("confidence") is not None]
    o["calibration_n"] = len(pairs)
    if pairs:
        c = np.array([p[0] for p in pairs], dtype=float)
        y = np.array([p[1] for p in pairs], dtype=float)
        o["brier"] = float(np.mean((c - y) ** 2))
        bins = np.minimum(np.floor(c * 10), 9).astype(int)
        ece = 0.0
        table = []
        for b in range(10):
            sel = bins == b
            nb = int(sel.sum())
            if nb:
                ece += nb / len(c) * abs(float(y[sel].mean()) - float(c[sel].mean()))
            table.append({"low": b / 10, "high": (b + 1) / 10, "n": nb,
                          "mean_confidence": float(c[sel].mean()) if nb else None,
                          "accuracy": float(y[sel].mean()) if nb else None})
        o["ece"] = ece
        o["calibration_bins"] = table
        o["confidence_correlation"] = (float(np.corrcoef(c, y)[0, 1])
                                       if len(c) > 1 and np.var(c) > 0 and np.var(y) > 0 else None)
        o["precision_at_coverage"] = []
        for cov in opts["coverages"]:
            k, p = precision_at(pairs, cov)
            o["precision_at_coverage"].append({"coverage": cov, "n": k, "precision": p})
    else:
        o["brier"] = o["ece"] = o["confidence_correlation"] = None
        o["calibration_bins"] = o["precision_at_coverage"] = None
    return o


# ---------------------------------------------------------------- whole run

def group_value(r, field):
    if "+" in field:
        return [group_value(r, part) for part in field.split("+")]
    if field in ("year", "decade"):
        d = r.get("air_date")
        if not isinstance(d, str) or len(d) < 4 or not d[:4].isdigit():
            return None
        y = int(d[:4])
        return y if field == "year" else f"{y - y % 10}s"
    if field in r:
        return r[field]
    cur = r
    for part in field.split("."):
        if not isinstance(cur, dict) or part not in cur:
            return None
        cur = cur[part]
    return cur


def sort_key(v):
    if isinstance(v, bool):
        return (2, v)
    if isinstance(v, (int, float)):
        return (0, v)
    if isinstance(v, str):
        return (1, v.encode())
    if v is None:
        return (4, 0)
    if isinstance(v, list):
        return (3, 0, [sort_key(x) for x in v])
    return (3, 1, dumps(v).encode())


def text(v):
    if isinstance(v, str):
        return v
    return dumps(v)


def expected(records, opts):
    out = []
    level = opts["confidence"]
    models = sorted({r["model"] for r in records}, key=lambda m: m.encode())
    for m in models:
        rs = [r for r in records if r["model"] == m]
        o = group_metrics(rs, opts)
        o.update({"kind": "metric", "model": m, "group": "all", "group_field": None, "group_value": None})
        out.append(o)
        for field in opts["by"]:
            values = {}
            for r in rs:
                v = group_value(r, field)
                values.setdefault(dumps(v), (v, []))[1].append(r)
            for key in sorted(values, key=lambda k: sort_key(values[k][0])):
                v, grp = values[key]
                o = group_metrics(grp, opts)
                shown = "+".join(text(x) for x in v) if "+" in field else text(v)
                o.update({"kind": "metric", "model": m, "group": f"{field}={shown}",
                          "group_field": field, "group_value": v})
                out.append(o)
    if opts["compare"]:
        last = {}
        for r in records:
            g = r["grade"]
            last[(r["model"], r["id"], r.get("epoch", 1))] = (g["answered"], g["correct"] is True, r.get("error") is not None)
        for i, a in enumerate(models):
            for b in models[i + 1:]:
                ka = {(q, e): v for (mm, q, e), v in last.items() if mm == a}
                kb = {(q, e): v for (mm, q, e), v in last.items() if mm == b}
                common = set(ka) & set(kb)
                # Pairs where neither request failed; a refusal or empty reply is a miss.
                both = [(ka[k][1], kb[k][1]) for k in common if not ka[k][2] and not kb[k][2]]
                failed = sum(1 for k in common if ka[k][2] or kb[k][2])
                n11 = sum(1 for x, y in both if x and y)
                n10 = sum(1 for x, y in both if x and not y)
                n01 = sum(1 for x, y in both if not x and y)
                n00 = sum(1 for x, y in both if not x and not y)
                n = len(both)
                lo, hi = newcombe_paired(n11, n10, n01, n00, level)
                out.append({"kind": "comparison", "model_a": a, "model_b": b, "group": "all",
                            "n": n, "common": len(common), "both_correct": n11, "a_only": n10,
                            "b_only": n01, "neither": n00, "failed": failed, "basis": "asked",
                            "accuracy_a": (n11 + n10) / n if n else None,
                            "accuracy_b": (n11 + n01) / n if n else None,
                            "difference": (n10 - n01) / n if n else None,
                            "ci_low": lo, "ci_high": hi, "confidence": level,
                            "p_value": mcnemar(n10, n01) if n else None})
    for spec in opts["cutoffs"]:
        model, date = spec.rsplit("=", 1)
        rs = [r for r in records if r["model"] == model]
        before = [r for r in rs if r.get("air_date") and r["air_date"][:10] <= date]
        after = [r for r in rs if r.get("air_date") and r["air_date"][:10] > date]
        o = {"kind": "cutoff", "model": model, "cutoff": date, "group": "all", "confidence": level,
             "undated": sum(1 for r in rs if not r.get("air_date"))}
        sides = {}
        for name, side in (("before", before), ("after", after)):
            k = sum(1 for r in side if r["grade"]["correct"] is True)
            sides[name] = (k, len(side))
            o[f"{name}_n"] = len(side)
            o[f"{name}_correct"] = k
            o[f"{name}_accuracy"] = k / len(side) if side else None
            o[f"{name}_ci_low"], o[f"{name}_ci_high"] = wilson(k, len(side), level)
        (kb, nb), (ka, na) = sides["before"], sides["after"]
        ok = nb > 0 and na > 0
        o["difference"] = kb / nb - ka / na if ok else None
        o["ci_low"], o["ci_high"] = newcombe_unpaired(kb, nb, ka, na, level)
        o["p_value"] = float(stats.fisher_exact([[kb, nb - kb], [ka, na - ka]])[1]) if ok else None
        out.append(o)
    return out


# ---------------------------------------------------------------- inputs

CATEGORIES = ["HISTORY", "SCIENCE", "POTPOURRI", "WORD ORIGINS", "U.S. CITIES", "OPERA"]


def question(rng, k):
    rnd = rng.choices(["Jeopardy!", "Double Jeopardy!", "Final Jeopardy!"], [45, 45, 10])[0]
    year = rng.randint(1984, 2024)
    date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if rng.random() < 0.04:
        date = None
    step = {"Jeopardy!": 100, "Double Jeopardy!": 200}.get(rnd)
    q = {"id": f"{rng.getrandbits(64):016x}", "round": rnd, "category": rng.choice(CATEGORIES),
         "air_date": date, "clue": f"clue {k}", "answer": f"answer {k}"}
    if step is None:
        q.update(value=None, daily_double=False, difficulty=None)
    else:
        if date is not None and date >= "2001-11-26":
            step *= 2
        row = rng.randint(1, 5)
        q.update(value=row * step, daily_double=False, difficulty=row)
        roll = rng.random()
        if roll < 0.06:
            q["daily_double"] = True
            if rng.random() < 0.8:
                q["wager"] = rng.choice([5, 500, 1000, 1200, 2000, 3000, 5000])
            if rng.random() < 0.3:
                q["value"] = None
                q["difficulty"] = None
        elif roll < 0.15:
            q["daily_double"] = None
    return q


def response(rng, q, model, skill, epoch, latency_scale, with_confidence=0.7, cost=True):
    r = dict(q)
    r.update(model=model, epoch=epoch, cached=rng.random() < 0.05, error=None)
    r["latency_ms"] = round(rng.lognormvariate(math.log(latency_scale), 0.6)) if rng.random() > 0.03 else None
    if rng.random() < 0.1 and r["latency_ms"] is not None:
        r["latency_ms"] += 0.5  # a fractional value: rounded half up in the quantiles
    r["tokens"] = {"prompt": rng.randint(40, 90), "completion": rng.randint(3, 40) if rng.random() > 0.1 else None}
    r["cost_usd"] = round(rng.uniform(1e-5, 4e-4), 8) if cost and rng.random() > 0.1 else None
    roll = rng.random()
    if roll < 0.03:
        r["error"] = {"status": 500, "code": None, "message": "server error"}
        r["grade"] = {"correct": None, "answered": False, "mode": "jeopardy", "method": "error", "confidence": None}
    elif roll < 0.06:
        r["grade"] = {"correct": False, "answered": False, "mode": "jeopardy", "method": "refusal", "confidence": None}
    else:
        right = rng.random() < skill
        conf = None
        if rng.random() < with_confidence:
            base = 0.75 if right else 0.45
            conf = round(min(1.0, max(0.0, rng.gauss(base, 0.2))), 2)
        r["grade"] = {"correct": right, "answered": True, "mode": "jeopardy",
                      "method": "exact" if right else "fuzzy", "confidence": conf}
    return r


def mixed(rng):
    qs = [question(rng, k) for k in range(300)]
    records = []
    for model, skill, scale in (("sim/good", 0.8, 900), ("sim/bad", 0.45, 1800), ("openai/gpt-x", 0.7, 4000)):
        for q in qs:
            if rng.random() < 0.05:
                continue
            records.append(response(rng, q, model, skill, 1, scale))
            if rng.random() < 0.1:
                records.append(response(rng, q, model, skill, 2, scale))
    rng.shuffle(records)
    return records


def exact_latency(rng):
    """Latencies below 2048 ms, where the sketch is exact."""
    qs = [question(rng, k) for k in range(150)]
    records = [response(rng, q, m, s, 1, 300) for q in qs for m, s in (("a", 0.6), ("b", 0.55))]
    for r in records:
        if r["latency_ms"] is not None:
            r["latency_ms"] = min(r["latency_ms"], 2047)
    return records


def all_right(rng):
    qs = [question(rng, k) for k in range(40)]
    records = []
    for q in qs:
        r = response(rng, q, "sim/perfect", 1.0, 1, 500)
        r["error"] = None
        r["grade"] = {"correct": True, "answered": True, "mode": "strict", "method": "exact",
                      "confidence": rng.choice([0.9, 1.0, None])}
        records.append(r)
    return records


def all_wrong(rng):
    qs = [question(rng, k) for k in range(40)]
    records = []
    for q in qs:
        r = response(rng, q, "sim/hopeless", 0.0, 1, 500)
        r["error"] = None
        r["grade"] = {"correct": False, "answered": True, "mode": "strict", "method": "fuzzy",
                      "confidence": 0.5}
        records.append(r)
    return records


def missing(rng):
    """Two models whose records lack every optional field: values, dates, confidences,
    latencies, tokens, costs; one never answers."""
    records = []
    for k in range(30):
        base = {"id": f"{k:016x}", "round": "Final Jeopardy!" if k % 3 == 0 else "Jeopardy!",
                "category": "X", "clue": "c", "answer": "a"}
        r = dict(base, model="m/silent")
        r["grade"] = {"correct": None if k % 2 else False, "answered": False, "method": "empty"}
        if k % 2:
            r["error"] = {"status": None, "code": "timeout", "message": "timed out"}
        records.append(r)
        r = dict(base, model="m/terse", epoch=1)
        r["grade"] = {"correct": k % 4 != 0, "answered": True}
        records.append(r)
    return records


CASES = {
    "mixed": (mixed, {"by": ["round", "decade", "difficulty", "grade.method"], "confidence": 0.95,
                      "coverages": [0.25, 0.5, 0.75, 1.0], "final_stake": None, "compare": True,
                      "cutoffs": ["sim/good=2010-06-30", "openai/gpt-x=2020-01-01", "nobody=2000-01-01"]}),
    "exact_latency": (exact_latency, {"by": ["year", "category", "round+difficulty"], "confidence": 0.9, "coverages": [0.1, 0.5, 0.9],
                                      "final_stake": 1000, "compare": True, "cutoffs": ["a=1999-12-31"]}),
    "all_right": (all_right, {"by": ["round"], "confidence": 0.99, "coverages": [0.5, 1.0], "final_stake": None,
                              "compare": True, "cutoffs": ["sim/perfect=2030-01-01"]}),
    "all_wrong": (all_wrong, {"by": [], "confidence": 0.95, "coverages": [1.0], "final_stake": 0,
                              "compare": True, "cutoffs": ["sim/hopeless=1980-01-01"]}),
    "missing": (missing, {"by": ["value", "year"], "confidence": 0.95, "coverages": [0.5], "final_stake": None,
                          "compare": True, "cutoffs": ["m/terse=2000-01-01"]}),
    "empty": (lambda rng: [], {"by": ["round"], "confidence": 0.95, "coverages": [0.5], "final_stake": None,
                               "compare": True, "cutoffs": ["sim/none=2020-01-01"]}),
}


def main():
    for name, (make, opts) in CASES.items():
        rng = random.Random(f"jb-metrics/{name}")
        records = make(rng)
        folder = os.path.join(HERE, name)
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "input.jsonl"), "w") as f:
            for r in records:
                f.write(dumps(r) + "\n")
        with open(os.path.join(folder, "options.json"), "w") as f:
            f.write(json.dumps(opts, sort_keys=True, indent=1) + "\n")
        with open(os.path.join(folder, "expected.jsonl"), "w") as f:
            for r in expected(records, opts):
                f.write(dumps(r) + "\n")
        print(f"{name}: {len(records)} records")


if __name__ == "__main__":
    main()
