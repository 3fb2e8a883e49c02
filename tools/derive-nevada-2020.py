#!/usr/bin/env python3
"""Derive the election folder elections/nevada-2020/ from the public Nevada 2020 data.

Reads (default ../shared/data/nevada-2020, relative to the repo root):
  nv-delegate-apportionment.csv        each precinct's county-convention delegates D and registered Democrats
  nv-caucus-results-2020-02-24.csv     the party's final precinct results (names, alignments, delegates awarded)

Writes (relative to the repo root, or --out):
  elections/nevada-2020/election.json, counties.csv, precincts.csv,
  and the results file itself, copied unchanged (the demo night replays it from the folder)
(README.md in that folder is written by hand; it explains what this script derives.)

Every precinct of either file is matched explicitly (rules below); the script prints every name it had to
reconcile, every precinct that held no caucus, and the totals, and exits non-zero if a check fails.
Standard library only.
Run from the repo root:  python3 tools/derive-nevada-2020.py [--data DIR] [--out DIR]
"""

import argparse
import collections
import csv
import json
import os
import re
import shutil
import sys
import unicodedata

APPORTIONMENT = "nv-delegate-apportionment.csv"
RESULTS = "nv-caucus-results-2020-02-24.csv"
EXPECTED_COUNTIES = 17

# The results file spells a county as its first word upper-cased (CARSON, WHITE); the apportionment spells it out
# (Carson City, White Pine). The folder uses the spelled-out name; the script checks that the rule is one to one.


def results_county(name):
    return name.split()[0].upper()


# Washoe: the results file writes every precinct as six digits (100500); the apportionment writes 433 of them that
# way and 125 as four digits (1005). A four-digit Washoe apportionment id is the six-digit results id / 100. The
# folder keeps the results spelling, so a tool reading the results file matches rows by (county, name).
def washoe_six_digits(county, precinct):
    if county == "Washoe" and re.fullmatch(r"\d{4}", precinct):
        return precinct + "00"
    return precinct


# The seven at-large ("Strip") caucuses held in casinos for shift workers. They are not in the apportionment; the
# results file gives their D (`precinct_delegates`) for five of them. For the two where it
# is missing (Harrahs, Wynn Resorts, both marked incomplete) D = the delegates the site reported awarding. They are
# precincts of Clark County (no satellite weighting in Nevada: their county delegates count as they are).
AT_LARGE = ["Bellagio", "Harrahs", "Mandalay Bay", "Paris", "Park MGM", "Rio", "Wynn Resorts"]

failures = []


def fail(msg):
    failures.append(msg)
    print("CHECK FAILED: " + msg)


def slug(text):
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def count(value, what):
    if not re.fullmatch(r"\d+", value):
        fail("%s: %r is not a whole number" % (what, value))
        return 0
    return int(value)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="../shared/data/nevada-2020")
    ap.add_argument("--out", default="elections/nevada-2020")
    args = ap.parse_args()

    with open(os.path.join(args.data, APPORTIONMENT), newline="", encoding="utf-8") as f:
        apportionment = list(csv.DictReader(f))
    with open(os.path.join(args.data, RESULTS), newline="", encoding="utf-8") as f:
        result_rows = list(csv.DictReader(f))

    # ------------------------------------------------------------ counties
    county_order = list(dict.fromkeys(r["county"] for r in apportionment))
    if len(county_order) != EXPECTED_COUNTIES:
        fail("apportionment has %d counties, not %d" % (len(county_order), EXPECTED_COUNTIES))
    county_of = {}  # results spelling -> apportionment spelling
    for c in county_order:
        if results_county(c) in county_of:
            fail("county spelling rule is ambiguous: %s and %s" % (county_of[results_county(c)], c))
        county_of[results_county(c)] = c
    results_counties = set(r["county"] for r in result_rows)
    if results_counties != set(county_of):
        fail("results counties %s do not match the apportionment's %s" % (sorted(results_counties), sorted(county_of)))
    county_renames = sorted((k, v) for k, v in county_of.items() if k != v)

    # ------------------------------------------------------------ results, one entry per precinct
    candidates = []
    results = collections.OrderedDict()  # (county, precinct) -> list of rows, in file order
    for r in result_rows:
        if r["candidate"] not in candidates:
            candidates.append(r["candidate"])
        results.setdefault((county_of.get(r["county"], r["county"]), r["precinct"]), []).append(r)
    for key, rows in results.items():
        if [r["candidate"] for r in rows] != candidates:
            fail("results %r: groups %s are not the file's %s" % (key, [r["candidate"] for r in rows], candidates))
        for field in ("total_attendance", "congressional_district", "precinct_delegates", "is_complete"):
            if len({r[field] for r in rows}) != 1:
                fail("results %r: %s differs between its rows" % (key, field))

    def status(key):
        """held / the reason a precinct of the results file held no caucus."""
        rows = results[key]
        aligned = sum(count(r["align1"], "align1") + count(r["alignfinal"], "alignfinal") for r in rows)
        if aligned > 0:
            return "held"
        if rows[0]["is_complete"] != "TRUE":
            return "no alignment, marked incomplete"
        if count(rows[0]["total_attendance"], "total_attendance") > 0:
            return "attendance but no alignment"
        return "empty (no caucus)"

    # ------------------------------------------------------------ match apportionment -> results
    precincts = collections.OrderedDict()  # (county, name) -> dict
    renamed = []  # (county, apportionment name, results name)
    for a in apportionment:
        county, raw = a["county"], a["precinct"]
        name = washoe_six_digits(county, raw)
        if name != raw:
            renamed.append((county, raw, name))
        key = (county, name)
        if key in precincts:
            fail("apportionment: precinct %s/%s appears twice" % key)
            continue
        precincts[key] = {
            "county": county, "name": name, "D": count(a["delegates"], "delegates"),
            "registered": count(a["democrats_in_precinct"], "democrats_in_precinct"),
            "clause": a["apportionment_clause"], "district": "CD" + a["congressional_district"],
            "status": status(key) if key in results else "not in the results file",
            "source": "apportionment",
        }
        if key in results:
            published = results[key][0]["precinct_delegates"]
            if published not in ("NA", a["delegates"]):
                fail("%s/%s: results precinct_delegates %s != apportionment %s" % (county, name, published, a["delegates"]))

    # ------------------------------------------------------------ results precincts not in the apportionment
    at_large = []
    results_only = []
    for key, rows in results.items():
        if key in precincts:
            continue
        county, name = key
        if county == "Clark" and name in AT_LARGE:
            published = rows[0]["precinct_delegates"]
            awarded = sum(count(r["reported_del_given"], "reported_del_given") for r in rows)
            D = count(published, "precinct_delegates") if published != "NA" else awarded
            at_large.append((name, D, "published" if published != "NA" else "delegates awarded", awarded))
            precincts[key] = {"county": county, "name": name, "D": D, "registered": None, "clause": "at-large",
                              "district": None, "status": status(key), "source": "at-large"}
        else:
            # Not apportioned and (checked) no caucus held: kept with D = 0 so that every precinct of the results
            # file is a precinct of the folder (verify and the replay classify it as not held).
            st = status(key)
            if st == "held":
                fail("results precinct %s/%s held a caucus but is not in the apportionment" % key)
            results_only.append((county, name, st))
            precincts[key] = {"county": county, "name": name, "D": 0, "registered": None, "clause": "not apportioned",
                              "district": None, "status": st, "source": "results only"}
    if sorted(n for n, *_ in at_large) != sorted(AT_LARGE):
        fail("at-large caucuses found %s, expected %s" % (sorted(n for n, *_ in at_large), AT_LARGE))

    # ------------------------------------------------------------ counties.csv figures
    # district: the county's congressional district(s) from the apportionment (Clark and Lyon are split; the format
    # has one district per county, so a split county's district is its districts joined by "/").
    # countyDelegates: the sum of its precincts' D (the loader checks it). stateDelegates = countyDelegates: Nevada's
    # headline unit is county convention delegates with no weighting (rules/nevada-2020.md), so a weight of 1 per
    # county delegate makes any delegate-equivalent arithmetic give county convention delegates.
    counties = []
    for c in county_order:
        ps = [p for p in precincts.values() if p["county"] == c]
        districts = sorted({p["district"] for p in ps if p["district"]}, key=lambda d: int(d[2:]))
        cd = sum(p["D"] for p in ps)
        counties.append((c, "/".join(districts), cd, cd))

    # ------------------------------------------------------------ ids and output rows (county by county)
    used = set()
    dup_ids = []
    out = []
    for c in county_order:
        for p in [p for p in precincts.values() if p["county"] == c]:
            base = slug(c) + "/" + (slug(p["name"]) or "unnamed")
            pid, k = base, 2
            while pid in used:
                pid = "%s-%d" % (base, k)
                k += 1
            if pid != base:
                dup_ids.append((base, pid))
            used.add(pid)
            out.append((pid, c, p["name"], p["D"], "precinct", "" if p["registered"] is None else p["registered"]))
    if len(out) != len(precincts):
        fail("precincts lost in output")
    for key in results:
        if key not in precincts:
            fail("results precinct %s/%s is not in the folder" % key)

    # ------------------------------------------------------------ write
    os.makedirs(args.out, exist_ok=True)
    election = {"id": "nevada-2020", "name": "2020 Nevada Democratic Caucuses", "date": "2020-02-22",
                "stateFips": "32", "ruleSet": "nevada-2020", "publishedResults": RESULTS, "candidates": candidates}
    with open(os.path.join(args.out, "election.json"), "w", encoding="utf-8") as f:
        json.dump(election, f, indent=2)
        f.write("\n")
    with open(os.path.join(args.out, "counties.csv"), "w", newline="", encoding="utf-8") as f:
        wr = csv.writer(f, lineterminator="\n")
        wr.writerow(["county", "district", "countyDelegates", "stateDelegates"])
        wr.writerows(counties)
    with open(os.path.join(args.out, "precincts.csv"), "w", newline="", encoding="utf-8") as f:
        wr = csv.writer(f, lineterminator="\n")
        wr.writerow(["id", "county", "name", "delegates", "kind", "registered"])
        wr.writerows(out)
    # The demo night replays the published results from the folder (as Iowa's does); copied unchanged.
    shutil.copyfile(os.path.join(args.data, RESULTS), os.path.join(args.out, RESULTS))

    # ------------------------------------------------------------ summary
    apportioned = [p for p in precincts.values() if p["source"] == "apportionment"]
    by_status = collections.Counter(p["status"] for p in precincts.values())
    print("Counties: %d; county spellings reconciled (results -> folder): %s"
          % (len(counties), ", ".join("%s -> %s" % r for r in county_renames)))
    for c in counties:
        print("    %-12s %-11s D = %5d" % c[:3])
    print("Candidates (results file order): %s" % ", ".join(candidates))
    print("Apportionment: %d precincts, D = %d, registered Democrats = %d (%d precincts with 0 registered, "
          "clause 293.133.3, D = 1 each)"
          % (len(apportioned), sum(p["D"] for p in apportioned), sum(p["registered"] for p in apportioned),
             sum(1 for p in apportioned if p["registered"] == 0)))
    print("Results file: %d precincts x %d groups" % (len(results), len(candidates)))
    print("Names reconciled (Washoe four-digit apportionment id -> six-digit results id): %d, e.g. %s"
          % (len(renamed), ", ".join("%s -> %s" % (a, b) for _, a, b in renamed[:3])))
    print("At-large (Strip) caucuses, not in the apportionment, D from the results file: %d" % len(at_large))
    for name, D, how, awarded in at_large:
        print("    %-13s D = %2d (%s; %d awarded)" % (name, D, how, awarded))
    print("In the results file only, not apportioned, no caucus held (D = 0): %d" % len(results_only))
    for county, name, st in results_only:
        print("    %s/%s: %s" % (county, name, st))
    print("Precincts by status:")
    for st, n in sorted(by_status.items()):
        print("    %-32s %4d" % (st, n))
    for st in sorted(by_status):
        if st == "held":
            continue
        names = sorted(("%s/%s" % (p["county"], p["name"]) for p in precincts.values() if p["status"] == st))
        print("  %s (%d): %s" % (st, len(names), " ".join(names)))
    incomplete_held = sorted("%s/%s" % k for k, rows in results.items()
                             if rows[0]["is_complete"] != "TRUE" and precincts[k]["status"] == "held")
    print("Marked incomplete but with alignments (counted as held): %d: %s" % (len(incomplete_held), ", ".join(incomplete_held)))
    held = [k for k, p in precincts.items() if p["status"] == "held" and k in results]
    over = [(k, count(results[k][0]["total_attendance"], "total_attendance") - precincts[k]["registered"])
            for k in held if precincts[k]["registered"] is not None]
    worst = max(over, key=lambda x: x[1])
    print("Attendance above registered Democrats: %d precincts, at most %d (%s/%s)"
          % (sum(1 for _, d in over if d > 0), worst[1], *worst[0]))
    if dup_ids:
        print("ids disambiguated: %s" % dup_ids)
    print("Folder: %d counties, %d precincts, D = %d, held no caucus = %d"
          % (len(counties), len(out), sum(c[2] for c in counties), len(out) - by_status["held"]))
    print("Wrote %s" % args.out)
    if failures:
        print("%d CHECK(S) FAILED" % len(failures))
        return 1
    print("All checks passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
