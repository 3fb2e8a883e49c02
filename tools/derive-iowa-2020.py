#!/usr/bin/env python3
"""Derive the election folder elections/iowa-2020/ from the public Iowa 2020 data.

Reads (default ../shared/data/iowa-2020, relative to the repo root):
  idp-results-2020-02-08-100pct.csv   the 100% release (names, first/final counts, published SDEs)
  precinct-delegates.csv              each in-state precinct's D and SDE weight (D x SD/CD)
  LICENSE-iowa-tools                  copied beside the output
and (--prior, default ../shared/data/iowa-2016/idp-precinct-delegates-2016.csv) the 2016 county delegates per precinct,
written as the priorShare:Clinton and priorShare:Sanders columns of precincts.csv (prior_shares says how names match)

Writes (relative to the repo root, or --out):
  elections/iowa-2020/election.json, counties.csv, precincts.csv, LICENSE-iowa-tools,
  and the 100% release itself, copied unchanged (the API's --demo replays it)
(README.md in that folder is written by hand; it explains what this script derives.)

Standard library only. All SDE arithmetic uses fractions.Fraction.
Run from the repo root:  python3 tools/derive-iowa-2020.py [--data DIR] [--out DIR]
"""

import argparse
import collections
import csv
import html
import json
import math
import os
import re
import shutil
import sys
import unicodedata
from fractions import Fraction as F

RESULTS = "idp-results-2020-02-08-100pct.csv"
DELEGATES = "precinct-delegates.csv"
LICENSE = "LICENSE-iowa-tools"
# The 2016 caucus's county delegates per precinct (a covariate for the projection), default ../shared/data/iowa-2016.
PRIOR_2016 = "idp-precinct-delegates-2016.csv"
PRIOR_GROUPS = ["Clinton", "Sanders"]  # written as priorShare:<group>, each group's share of the precinct's 2016 delegates

SATELLITE_GROUPS = [  # (satellite county, district), in output order
    ("CD1 Satellite", "CD1"),
    ("CD2 Satellite", "CD2"),
    ("CD3 Satellite", "CD3"),
    ("CD4 Satellite", "CD4"),
    ("Out of State Satellite", "OOS"),
]

# Congressional districts of Iowa, 2013-2022 map (2011 redistricting plan). Iowa's plan keeps every
# county whole, so no county is split. CD1: 20 counties as listed by the IDP 1st District Central
# Committee (idp1st.org); CD2 (24 counties, southeast) and CD3 (16 counties, southwest) as in the
# 2013-2023 Wikipedia articles; CD4 is every other county (39). See elections/iowa-2020/README.md.
DISTRICTS = {
    "CD1": """Allamakee, Benton, Black Hawk, Bremer, Buchanan, Clayton, Delaware, Dubuque, Fayette,
              Howard, Iowa, Jackson, Jones, Linn, Marshall, Mitchell, Poweshiek, Tama, Winneshiek, Worth""",
    "CD2": """Appanoose, Cedar, Clarke, Clinton, Davis, Decatur, Des Moines, Henry, Jasper, Jefferson,
              Johnson, Keokuk, Lee, Louisa, Lucas, Mahaska, Marion, Monroe, Muscatine, Scott,
              Van Buren, Wapello, Washington, Wayne""",
    "CD3": """Adair, Adams, Cass, Dallas, Fremont, Guthrie, Madison, Mills, Montgomery, Page, Polk,
              Pottawattamie, Ringgold, Taylor, Union, Warren""",
}
DISTRICT_SIZES = {"CD1": 20, "CD2": 24, "CD3": 16, "CD4": 39}

# Rows of precinct-delegates.csv that are not precincts of the results file. Checked by hand: three
# Lee County rows with an empty precinct name, 0 delegates and 0.0 SDE (short names FM4B, HR, KE2B:
# sub-precincts folded into FM4A / other precincts). They are dropped (they change no total).
DROP_EMPTY_NAME_ZERO_D = True

# Hand-checked name mapping, (county, name in precinct-delegates.csv) -> name in results file, for
# names that the automatic rule (HTML-unescape the delegates-file name once) does not reconcile.
# Currently empty: the automatic rule reconciles all of them.
NAME_MAP = {}

failures = []


def fail(msg):
    failures.append(msg)
    print("CHECK FAILED: " + msg)


def slug(text):
    text = unicodedata.normalize("NFKD", html.unescape(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def round4(x):
    """Round a Fraction to 4 decimal places, halves up (as the party published SDEs)."""
    return F(math.floor(x * 10000 + F(1, 2)), 10000)


def half_up(x):
    return math.floor(x + F(1, 2))


# ---------------------------------------------------------------- allocation (RULES.md)

def threshold(D, A):
    if D == 1:
        return 0
    if D == 2:
        return -(-A // 4)
    if D == 3:
        return -(-A // 6)
    return -(-15 * A // 100)


def allocations(D, A, final):
    """All delegate allocations the rules allow (one per tie-break outcome), as tuples."""
    n = len(final)
    if D <= 0 or A <= 0 or sum(final) == 0:
        return {tuple([0] * n)}
    if D == 1:
        top = max(final)
        return {tuple(1 if i == j else 0 for i in range(n)) for j in range(n) if final[j] == top}
    t = threshold(D, A)
    viable = [i for i in range(n) if final[i] > 0 and final[i] >= t]
    raw = {i: F(final[i] * D, A) for i in viable}
    rnd = {i: half_up(raw[i]) for i in viable}
    frac = {i: raw[i] - math.floor(raw[i]) for i in viable}
    results = set()

    def rec(alloc, pool):
        total = sum(alloc.values())
        if total == D:
            results.add(tuple(alloc.get(i, 0) for i in range(n)))
            return
        if not pool:
            results.add(tuple(alloc.get(i, 0) for i in range(n)))  # cannot fix: keep as is
            return
        if total > D:
            cands = [i for i in pool if alloc[i] > 1] or list(pool)
            best = min(frac[i] for i in cands)
            for i in [i for i in cands if frac[i] == best]:
                a = dict(alloc)
                a[i] -= 1
                rec(a, pool - {i})
        else:
            best = max(frac[i] for i in pool)
            for i in [i for i in pool if frac[i] == best]:
                a = dict(alloc)
                a[i] += 1
                rec(a, pool - {i})

    total = sum(rnd.values())
    if total > D:
        pool = frozenset(i for i in viable if rnd[i] > raw[i])
    else:
        pool = frozenset(i for i in viable if rnd[i] < raw[i])
    rec(dict(rnd), pool)
    return results


# ---------------------------------------------------------------- satellite fitting

def fit_delegates(sdes, w, D):
    """Integer delegates d with round4(d * w / D) == published SDE for every group, or None."""
    d = [half_up(s * D / w) for s in sdes]
    if all(round4(F(di) * w / D) == s for di, s in zip(d, sdes)):
        return d
    return None


def fit_all_out(sdes, w, dmax=80):
    """Smallest D with integer delegates summing to D (all delegates went out) matching the SDEs."""
    for D in range(1, dmax + 1):
        d = fit_delegates(sdes, w, D)
        if d is not None and sum(d) == D:
            return D, d
    return None


def fit_any_sum(sdes, w, dmax=80):
    """Smallest D with integer delegates (any total) matching the SDEs."""
    for D in range(1, dmax + 1):
        d = fit_delegates(sdes, w, D)
        if d is not None:
            return D, d
    return None


def norm_name(text):
    """A 2016 or 2020 precinct name for matching: upper case, letters and digits only, numbers without leading zeros."""
    text = re.sub(r"[^A-Z0-9]+", " ", html.unescape(text).upper()).strip()
    return " ".join(str(int(t)) if t.isdigit() else t for t in text.split())


def prior_shares(path, out_precincts):
    """Each in-state 2020 precinct's 2016 delegate shares (PRIOR_GROUPS): matched on county and exact name, else on the
    normalised name (norm_name), else on the normalised name without the county's own name (2020's "1NW ADAIR" is 2016's
    "1NW"); a precinct still unmatched, or whose 2016 precinct elected no delegate, takes its county's 2016 shares
    (all its 2016 delegates pooled). Satellites (none in 2016) get empty cells."""
    by_exact, by_norm, county_sum = {}, {}, collections.defaultdict(lambda: [F(0)] * (len(PRIOR_GROUPS) + 1))
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            county = row["County"].strip()
            total = F(row["Total"])
            shares = None if total == 0 else [F(row[g]) / total for g in PRIOR_GROUPS]
            by_exact[(county, row["Precinct"].strip())] = shares
            by_norm.setdefault((county, norm_name(row["Precinct"])), shares)
            acc = county_sum[county]
            for i, g in enumerate(PRIOR_GROUPS):
                acc[i] += F(row[g])
            acc[-1] += total
    out, how = {}, collections.Counter()
    for pid, county, name, _, kind in out_precincts:
        if kind != "precinct":
            continue
        bare = norm_name(re.sub(re.escape(county), "", name, flags=re.I))
        for label, key in (("exact", (county, name)), ("normalised", (county, norm_name(name))), ("without county name", (county, bare))):
            table = by_exact if label == "exact" else by_norm
            if key in table and table[key] is not None:
                shares = table[key]
                break
        else:
            acc = county_sum.get(county)
            if acc is None or acc[-1] == 0:
                fail("no 2016 delegates for county %r" % county)
                continue
            label, shares = "county", [a / acc[-1] for a in acc[:-1]]
        how[label] += 1
        out[pid] = ["%.4f" % float(x) for x in shares]
    return out, ", ".join("%s %d" % kv for kv in how.most_common())


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="../shared/data/iowa-2020")
    ap.add_argument("--out", default="elections/iowa-2020")
    ap.add_argument("--prior", default="../shared/data/iowa-2016/" + PRIOR_2016)
    args = ap.parse_args()

    with open(os.path.join(args.data, RESULTS), newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    candidates = rows[1][2:16]
    assert rows[2][:2] == ["County", "Precinct"], rows[2][:2]
    assert candidates == rows[1][16:30] == rows[1][30:44]
    data = rows[3:]

    results = []  # (county, name, first[], final[], sde[])
    for x in data:
        if x[1] == "Total":
            continue  # county totals
        results.append((x[0], x[1], [int(v) for v in x[2:16]], [int(v) for v in x[16:30]],
                        [F(v) for v in x[30:44]]))
    sat_names = [g for g, _ in SATELLITE_GROUPS]
    instate = [r for r in results if r[0] not in sat_names]
    sats = [r for r in results if r[0] in sat_names]
    county_order = list(dict.fromkeys(r[0] for r in instate))
    key_counts = collections.Counter((r[0], r[1]) for r in results)
    for k, v in key_counts.items():
        if v > 1:
            fail("results file: (county, precinct) %r appears %d times" % (k, v))

    # ------------------------------------------------------------ precinct delegates
    with open(os.path.join(args.data, DELEGATES), newline="", encoding="utf-8") as f:
        pd_rows = list(csv.DictReader(f))
    res_keys = {(r[0], r[1]) for r in instate}
    pd = {}
    reconciled = []
    dropped = []
    for p in pd_rows:
        county, name, D, w = p["County"], p["Precinct"], int(p["County Delegates"]), float(p["Precinct SDE (IDP)"])
        if name == "" and DROP_EMPTY_NAME_ZERO_D and D == 0 and w == 0:
            dropped.append((county, p["Precinct Short Name"]))
            continue
        target = NAME_MAP.get((county, name))
        if target is None:
            target = name if (county, name) in res_keys else html.unescape(name)
        if (county, target) not in res_keys:
            fail("precinct-delegates.csv row %r/%r matches no results row" % (county, name))
            continue
        if target != name:
            reconciled.append((county, name, target))
        if (county, target) in pd:
            fail("precinct-delegates.csv: duplicate precinct %r/%r" % (county, target))
            continue
        pd[(county, target)] = (D, w, p["Precinct Short Name"])
    for k in sorted(res_keys - set(pd)):
        fail("results precinct %r has no row in precinct-delegates.csv" % (k,))

    # ------------------------------------------------------------ counties (in-state)
    district_of = {}
    for cd, names in DISTRICTS.items():
        for n in names.split(","):
            district_of[n.strip()] = cd
    for c in county_order:
        district_of.setdefault(c, "CD4")
    unknown = set(district_of) - set(county_order)
    if unknown:
        fail("district table names counties not in the results file: %s" % sorted(unknown))
    sizes = collections.Counter(district_of[c] for c in county_order)
    if dict(sizes) != DISTRICT_SIZES:
        fail("district sizes %s != %s" % (dict(sizes), DISTRICT_SIZES))

    counties = []  # (county, district, CD, SD)
    weight_mismatch = 0
    for c in county_order:
        precs = [(k, v) for k, v in pd.items() if k[0] == c]
        CD = sum(v[0] for _, v in precs)
        sd_sum = sum(v[1] for _, v in precs)
        SD = round(sd_sum)
        if abs(sd_sum - SD) > 1e-6:
            fail("%s: SDE weights sum to %r, not a whole number" % (c, sd_sum))
        for k, v in precs:
            if abs(float(F(v[0] * SD, CD)) - v[1]) > 1e-9:
                weight_mismatch += 1
                fail("%s/%s: D x SD/CD = %s != published weight %r" % (c, k[1], F(v[0] * SD, CD), v[1]))
        counties.append((c, district_of[c], CD, SD))

    # ------------------------------------------------------------ satellites
    print("Satellite groups (attendance = first-alignment total):")
    sat_out = {}  # (county, name) -> D
    sat_counties = []
    sat_report = []
    total_rows = matched_rule = 0
    for gname, district in SATELLITE_GROUPS:
        grp = [r for r in sats if r[0] == gname]
        first_sum = sum(sum(r[2]) for r in grp)
        pub_sum = sum(sum(r[4]) for r in grp)
        scored = [r for r in grp if sum(r[2]) > 0 and any(r[4])]

        def n_match(SD, T):
            return sum(1 for r in scored if fit_all_out([s for s in r[4] if s], F(SD * sum(r[2]), T)))

        # SD: whole number near the sum of the published SDEs; T: the group's total attendance as the
        # party used it. Choose the pair under which most satellites match the rule exactly (prefer
        # T = the sum of first-alignment totals, then the nearest T).
        best = None
        for SD in sorted({math.floor(pub_sum), round(pub_sum), math.ceil(pub_sum)}):
            for T in range(max(1, first_sum - 10), first_sum + 61):
                m = n_match(SD, T)
                cand = (m, -abs(T - first_sum), -abs(SD - pub_sum))
                if best is None or cand > best[0]:
                    best = (cand, SD, T)
        _, SD, T = best
        print("  %-24s satellites %2d, first-alignment total %4d, published SDEs sum %.4f -> SD = %d, "
              "T used by the party = %d (%+d)" % (gname, len(grp), first_sum, float(pub_sum), SD, T, T - first_sum))
        group_D = 0
        extra_att = 0
        strict = n_match(SD, first_sum)
        counts = collections.Counter()
        for r in grp:
            county, name, first, final, sde = r
            A = sum(first)
            nz = [i for i in range(14) if sde[i]]
            total_rows += 1
            note = ""
            D = None
            att_used = A
            deleg = [0] * 14
            if A == 0 or not nz:
                D = 1
                kind = "no-attendance" if A == 0 else "no-SDEs"
                note = "no attendance and no SDEs; D = 1 by rule (see README)" if A == 0 else "attendance but no SDEs; D = 1 by rule"
                counts[kind] += 1
            else:
                w = F(SD * A, T)
                fit = fit_all_out([sde[i] for i in nz], w)
                if fit:
                    D, d = fit
                    kind = "match"
                    matched_rule += 1
                    if len(nz) == 1:
                        kind = "match-1group"
                        note = "one group took every delegate: D not determined by the SDEs, smallest consistent D = 1 used"
                else:
                    # 1) attendance as published, one delegate too many or too few awarded
                    fit2 = fit_any_sum([sde[i] for i in nz], w)
                    if fit2 and abs(sum(fit2[1]) - fit2[0]) == 1:
                        D, d = fit2
                        kind = "over-award" if sum(d) > D else "under-award"
                        note = "SDEs fit attendance %d with D = %d but %d delegates awarded" % (A, D, sum(d))
                    else:
                        # 2) all delegates out, but the party used another attendance figure
                        alt = None
                        for dA in sorted(range(-A + 1, A + 60), key=lambda k: (abs(k), k)):
                            if dA == 0:
                                continue
                            f3 = fit_all_out([sde[i] for i in nz], F(SD * (A + dA), T))
                            if f3:
                                alt = (A + dA, f3)
                                break
                        if alt:
                            att2, (D, d) = alt
                            att_used = att2
                            kind = "other-attendance"
                            note = "SDEs fit only with attendance %d (first-alignment total %d), D = %d" % (att2, A, D)
                            if len(nz) == 1:
                                note += " (one group took every delegate: smallest consistent D = 1)"
                        else:
                            kind = "unexplained"
                            D = len(nz)
                            d = [1] * len(nz)
                            note = "no exact fit found; D = %d (number of groups with SDEs)" % D
                    counts[kind] += 1
                for i, di in zip(nz, d):
                    deleg[i] = di
                # allocation check with this D (attendance A = first-alignment total)
                allowed = allocations(D, A, final)
                if tuple(deleg) in allowed:
                    alloc_ok = "allocation OK" + (" (tie-break)" if len(allowed) > 1 else "")
                    counts["alloc-ok"] += 1
                else:
                    alloc_ok = "allocation differs from rules: rules give %s" % (
                        " or ".join(str({candidates[i]: a[i] for i in range(14) if a[i]}) for a in sorted(allowed)))
                    counts["alloc-bad"] += 1
                note = (note + "; " if note else "") + alloc_ok
            group_D += D
            extra_att += att_used - A
            sat_out[(county, name)] = D
            shown = {candidates[i]: deleg[i] for i in range(14) if deleg[i]}
            sat_report.append((gname, name, A, D, kind, shown, note))
            print("    %-50s A=%3d D=%2d %-16s %s %s" % (name[:50], A, D, kind, shown, note))
        print("    => %s" % dict(counts))
        print("    => rows matching with T = sum of first-alignment totals (%d): %d of %d with SDEs; with T = %d: %d"
              % (first_sum, strict, len(scored), T, n_match(SD, T)))
        if first_sum + extra_att != T:
            fail("%s: first-alignment total %d + implied extra attendance %d != T %d" % (gname, first_sum, extra_att, T))
        else:
            print("    => implied extra attendance %+d accounts exactly for T - first-alignment total" % extra_att)
        sat_counties.append((gname, district, group_D, SD))

    print("Satellite rows: %d; matching the attendance rule exactly with att = first-alignment total, "
          "D = delegates awarded, and the group T/SD above: %d" % (total_rows, matched_rule))

    # ------------------------------------------------------------ precinct list + ids
    out_precincts = []  # id, county, name, D, kind
    used_ids = set()
    dup_ids = []

    def make_id(county, name):
        base = slug(county) + "/" + (slug(name) or "unnamed")
        pid, k = base, 2
        while pid in used_ids:
            pid = "%s-%d" % (base, k)
            k += 1
        if pid != base:
            dup_ids.append((base, pid))
        used_ids.add(pid)
        return pid

    for county, name, *_ in instate:
        out_precincts.append((make_id(county, name), county, name, pd[(county, name)][0], "precinct"))
    for gname, _ in SATELLITE_GROUPS:
        for county, name, *_ in [r for r in sats if r[0] == gname]:
            out_precincts.append((make_id(county, name), county, name, sat_out[(county, name)], "satellite"))

    # ------------------------------------------------------------ loader invariants
    all_counties = counties + sat_counties
    cnames = [c[0] for c in all_counties]
    if len(set(cnames)) != len(cnames):
        fail("duplicate county names")
    cd_of = {c[0]: c[2] for c in all_counties}
    sums = collections.Counter()
    names_seen = set()
    for pid, county, name, D, kind in out_precincts:
        if county not in cd_of:
            fail("precinct %s: county %r not in counties.csv" % (pid, county))
        sums[county] += D
        if (county, name) in names_seen:
            fail("duplicate precinct name %r in %r" % (name, county))
        names_seen.add((county, name))
    for c, cd in cd_of.items():
        if sums[c] != cd:
            fail("county %s: countyDelegates %d != sum of precincts %d" % (c, cd, sums[c]))
    if len(used_ids) != len(out_precincts):
        fail("ids not unique")

    # ------------------------------------------------------------ write
    os.makedirs(args.out, exist_ok=True)
    election = {"id": "iowa-2020", "name": "2020 Iowa Democratic Caucuses", "date": "2020-02-03", "stateFips": "19",
                "ruleSet": "iowa-2020", "satelliteWeighting": "attendance", "publishedResults": RESULTS,
                "candidates": candidates}
    with open(os.path.join(args.out, "election.json"), "w", encoding="utf-8") as f:
        json.dump(election, f, indent=2)
        f.write("\n")
    with open(os.path.join(args.out, "counties.csv"), "w", newline="", encoding="utf-8") as f:
        wr = csv.writer(f, lineterminator="\n")
        wr.writerow(["county", "district", "countyDelegates", "stateDelegates"])
        wr.writerows(all_counties)
    prior, prior_summary = prior_shares(args.prior, out_precincts)
    with open(os.path.join(args.out, "precincts.csv"), "w", newline="", encoding="utf-8") as f:
        wr = csv.writer(f, lineterminator="\n")
        wr.writerow(["id", "county", "name", "delegates", "kind"] + ["priorShare:" + g for g in PRIOR_GROUPS])
        wr.writerows(list(p) + prior.get(p[0], [""] * len(PRIOR_GROUPS)) for p in out_precincts)
    shutil.copyfile(os.path.join(args.data, LICENSE), os.path.join(args.out, LICENSE))
    # The demo night (Caucus.Api --demo) replays the published results; they travel with the build output from here.
    shutil.copyfile(os.path.join(args.data, RESULTS), os.path.join(args.out, RESULTS))

    # ------------------------------------------------------------ summary
    n_prec = sum(1 for p in out_precincts if p[4] == "precinct")
    n_sat = len(out_precincts) - n_prec
    print()
    print("In-state: %d counties, %d precincts, %d county delegates, %d state delegates; "
          "precinct weights D x SD/CD matching the published weight: %d of %d"
          % (len(counties), n_prec, sum(c[2] for c in counties), sum(c[3] for c in counties),
             n_prec - weight_mismatch, n_prec))
    print("precinct-delegates.csv: %d data rows; dropped %d empty-name 0-delegate rows %s; "
          "%d names reconciled:" % (len(pd_rows), len(dropped), dropped, len(reconciled)))
    for county, a, b in reconciled:
        print("    %s: %r -> %r" % (county, a, b))
    if dup_ids:
        print("ids disambiguated: %s" % dup_ids)
    print("Satellite counties: " + ", ".join("%s (%s) D=%d SD=%d" % c for c in sat_counties))
    print("Satellites: %d" % n_sat)
    print("2016 prior shares: " + prior_summary)
    print("Wrote %s" % args.out)
    if failures:
        print("%d CHECK(S) FAILED" % len(failures))
        return 1
    print("All checks passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
