#!/usr/bin/env python3
"""Writes N random precincts as `caucus allocate` input (precinct,delegates,attendees,group,first,final),
for measuring the allocator's throughput: python3 tools/random-precincts.py 100000 > /tmp/alloc.csv"""
import random
import sys

count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
random.seed(int(sys.argv[2]) if len(sys.argv) > 2 else 7)
groups = ["Biden", "Buttigieg", "Klobuchar", "Sanders", "Warren", "Yang", "Steyer", "Uncommitted"]
out = sys.stdout
out.write("precinct,delegates,attendees,group,first,final\n")
for p in range(count):
    delegates, k, attendees = random.randint(1, 20), random.randint(1, 6), random.randint(5, 600)
    cuts = sorted(random.randint(0, attendees) for _ in range(k - 1))
    sizes = [b - a for a, b in zip([0] + cuts, cuts + [attendees])]
    for group, n in zip(groups, sizes):
        out.write(f"p{p},{delegates},{attendees},{group},{n},{n}\n")
