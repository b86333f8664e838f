//! Parts of a county that share nothing but the county-wide backbone rule: no community,
//! no possible move or trip, no ledger term links them. Each can be solved alone.

use super::classes::Classes;
use crate::domain::{Dataset, SchoolIx};

struct UnionFind(Vec<usize>);

impl UnionFind {
    fn find(&mut self, mut a: usize) -> usize {
        while self.0[a] != a {
            self.0[a] = self.0[self.0[a]];
            a = self.0[a];
        }
        a
    }
    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.0[ra.max(rb)] = ra.min(rb);
        }
    }
}

/// Schools grouped into independent parts, each sorted, parts by their first school.
pub fn components(ds: &Dataset) -> Vec<Vec<SchoolIx>> {
    let mut uf = UnionFind((0..ds.schools.len()).collect());
    for c in &ds.communities {
        for pair in c
            .core
            .iter()
            .chain(&c.members)
            .collect::<Vec<_>>()
            .windows(2)
        {
            uf.union(pair[0].ix(), pair[1].ix());
        }
    }
    for r in &ds.ledger {
        uf.union(r.from.ix(), r.to.ix());
        uf.union(ds.teacher(r.teacher).home.ix(), r.to.ix());
    }
    let cl = Classes::build(ds);
    for c in &cl.classes {
        for m in &c.moves {
            uf.union(c.home.ix(), m.host.ix());
        }
        if let Some(t) = c.trips {
            for trip in &cl.trip_tables[t] {
                for &(s, _) in &trip.stops {
                    uf.union(c.home.ix(), s.ix());
                }
            }
        }
    }
    let mut parts: Vec<Vec<SchoolIx>> = Vec::new();
    let mut slot = vec![usize::MAX; ds.schools.len()];
    for s in ds.school_ixs() {
        let root = uf.find(s.ix());
        if slot[root] == usize::MAX {
            slot[root] = parts.len();
            parts.push(Vec::new());
        }
        parts[slot[root]].push(s);
    }
    parts
}
