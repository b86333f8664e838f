#!/usr/bin/env python3
"""A county like SRC, varied by SEED, written to DST (docs/benchmarks.md, twenty-ninth
session): counties of the same shape as `../shared/instances` that nobody tuned on.

    python3 scripts/vary_county.py ../shared/instances/mixed-county /tmp/mixed-v1 105

Schools, communities, ledger and policy are copied as they are. Of the teachers not in
the ledger, 5% are dropped; a quarter get a birth year 4 years either way (hire and
school-since years kept consistent); 5% have their backbone flag flipped. Each demand row
is scaled by a factor in [0.9, 1.1] and rounded (at least 1 period). Python's `random`
with the seed, so the same arguments give the same county.
"""
import csv
import os
import random
import shutil
import sys


def read(folder, name):
    with open(os.path.join(folder, name), newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def write(folder, name, head, rows):
    with open(os.path.join(folder, name), "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(head)
        out.writerows(rows)


def vary_teacher(row, ix, rnd):
    row = list(row)
    if rnd.random() < 0.25 and row[ix["birth_year"]]:
        born = int(row[ix["birth_year"]]) + rnd.randint(-4, 4)
        hired = min(max(int(row[ix["hire_year"]]), born + 21), 2025)
        row[ix["birth_year"]], row[ix["hire_year"]] = str(born), str(hired)
        if int(row[ix["school_since"]]) < hired:
            row[ix["school_since"]] = str(hired)
    if rnd.random() < 0.05:
        row[ix["backbone"]] = "1" if row[ix["backbone"]] == "0" else "0"
    return row


def main(src, dst, seed):
    rnd = random.Random(seed)
    os.makedirs(dst, exist_ok=True)
    for name in os.listdir(src):
        shutil.copy(os.path.join(src, name), dst)
    _, ledger = read(src, "ledger.csv")
    in_ledger = {r[0] for r in ledger}
    head, teachers = read(src, "teachers.csv")
    ix = {n: i for i, n in enumerate(head)}
    kept = []
    for row in teachers:
        if row[0] not in in_ledger and rnd.random() < 0.05:
            continue
        kept.append(vary_teacher(row, ix, rnd))
    write(dst, "teachers.csv", head, kept)
    head, demand = read(src, "demand.csv")
    scaled = []
    for school, subject, periods in demand:
        p = int(periods)
        q = max(1, round(p * rnd.uniform(0.9, 1.1))) if p > 0 else p
        scaled.append([school, subject, str(q)])
    write(dst, "demand.csv", head, scaled)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: vary_county.py SRC DST SEED")
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
