#!/usr/bin/env python3
"""cut-community.py SRC COMMUNITY DST: a dataset folder cut down to one community.

Keeps the community's schools, their teachers and demand, and the ledger, pins and
requests rows about them; copies policy.toml. Used to time one community of a county
alone (docs/benchmarks.md). County-wide rules (the backbone share) then count only the
community, so a cut's plan is not the county's plan restricted.
"""
import csv, os, shutil, sys
src, cid, dst = sys.argv[1:4]
os.makedirs(dst, exist_ok=True)
def rows(f):
    with open(os.path.join(src, f), newline='', encoding='utf-8') as h:
        r = list(csv.reader(h))
    return r[0], r[1:]
def write(f, head, body):
    with open(os.path.join(dst, f), 'w', newline='', encoding='utf-8') as h:
        w = csv.writer(h); w.writerow(head); w.writerows(body)
h, b = rows('communities.csv'); write('communities.csv', h, [r for r in b if r[0] == cid])
h, b = rows('schools.csv'); ci = h.index('community')
schools = {r[0] for r in b if r[ci] == cid}; write('schools.csv', h, [r for r in b if r[0] in schools])
h, b = rows('teachers.csv'); si = h.index('school')
teachers = {r[0] for r in b if r[si] in schools}; write('teachers.csv', h, [r for r in b if r[0] in teachers])
h, b = rows('demand.csv'); write('demand.csv', h, [r for r in b if r[0] in schools])
for f, key in [('ledger.csv', 0), ('requests.csv', 0), ('pins.csv', 0)]:
    if os.path.exists(os.path.join(src, f)):
        h, b = rows(f)
        keep = teachers if f != 'requests.csv' else schools
        write(f, h, [r for r in b if r[key] in keep])
shutil.copy(os.path.join(src, 'policy.toml'), dst)
