//! coverage.csv: one row per demand row with periods > 0; covered = Σ_t y(t,s,k) from
//! teaching.csv; unmet = max(0, demand − covered) (MODEL.md's rule 4 is ≥: a trip day's
//! least periods may over-cover); unmet_before within [0, demand] and, where
//! the weights make it well defined, per school equal to the best no-move coverage (a
//! small max-flow of the school's own teachers).

use std::collections::{BTreeMap, VecDeque};

use super::facts::{Facts, Term};
use super::files::CoverRow;
use super::teaching::Taught;
use super::{codes, Sink};
use crate::domain::{Dataset, SchoolIx, SubjectIx};

/// Totals the summary's counts are compared with.
#[derive(Clone, Debug, Default)]
pub(crate) struct CoverTotals {
    /// Σ max(0, demand − covered) from teaching.csv.
    pub unmet: i64,
    /// Σ unmet_before as written.
    pub unmet_before: i64,
}

/// Checks coverage.csv against demand.csv and teaching.csv (see the module doc); returns
/// the totals the summary's counts are compared with.
pub(crate) fn check(
    ds: &Dataset,
    f: &[Facts],
    taught: &Taught,
    rows: &[CoverRow],
    sink: &mut Sink,
) -> CoverTotals {
    let covered = taught.covered();
    let mut totals = CoverTotals::default();
    let mut written: BTreeMap<(SchoolIx, SubjectIx), &CoverRow> = BTreeMap::new();
    for r in rows {
        let at = format!(
            "coverage.csv:{}: {}",
            r.line,
            names(ds, r.school, r.subject)
        );
        if let Some(first) = written.get(&(r.school, r.subject)) {
            sink.push(
                codes::COVER,
                format!("{at} is listed again (first at line {})", first.line),
            );
            continue;
        }
        written.insert((r.school, r.subject), r);
        totals.unmet_before += r.unmet_before;
        let cov = covered.get(&(r.school, r.subject)).copied().unwrap_or(0);
        check_row(ds, r, cov, &at, sink);
    }
    for d in ds.demand.iter().filter(|d| d.periods > 0) {
        let cov = covered.get(&(d.school, d.subject)).copied().unwrap_or(0);
        totals.unmet += (d.periods as i64 - cov).max(0);
        if !written.contains_key(&(d.school, d.subject)) {
            sink.push(
                codes::COVER,
                format!(
                    "coverage.csv has no row for {} (demand {} periods)",
                    names(ds, d.school, d.subject),
                    d.periods
                ),
            );
        }
    }
    check_unmet_before(ds, f, &written, sink);
    totals
}

/// "S001 语文": a demand row's school id and subject.
fn names(ds: &Dataset, s: SchoolIx, k: SubjectIx) -> String {
    format!("{} {}", ds.schools[s.ix()].id, ds.subjects[k.ix()])
}

/// One row (called `at`) against demand.csv and the periods teaching.csv covers, `cov`.
fn check_row(ds: &Dataset, r: &CoverRow, cov: i64, at: &str, sink: &mut Sink) {
    let demand = ds.demand_of(r.school, r.subject) as i64;
    if demand == 0 {
        sink.push(
            codes::COVER,
            format!("{at} has a row but the school has no demand for the subject"),
        );
        return;
    }
    if r.demand != demand {
        sink.push(
            codes::COVER,
            format!(
                "{at}: demand is written {} but demand.csv says {demand}",
                r.demand
            ),
        );
    }
    if r.covered != cov {
        sink.push(
            codes::COVER,
            format!(
                "{at}: covered is written {} but teaching.csv gives {cov} periods",
                r.covered
            ),
        );
    }
    if r.unmet != (demand - cov).max(0) {
        sink.push(
            codes::COVER,
            format!(
                "{at}: unmet is written {} but max(0, demand − covered) is {}",
                r.unmet,
                (demand - cov).max(0)
            ),
        );
    }
    if r.unmet_before < 0 || r.unmet_before > demand {
        sink.push(
            codes::UNMET_BEFORE,
            format!(
                "{at}: unmet_before is {} but must lie within 0 and the demand {demand}",
                r.unmet_before
            ),
        );
    }
}

/// Per school, Σ_k unmet_before must be the school's demand less the most its own teachers
/// can cover with nobody moving or travelling (LOCKED teachers at their host, everyone else
/// at home). The no-move model maximises weighted coverage; that equals maximum coverage
/// when all the school's subjects share one unmet multiplier m and W.unmet·m exceeds
/// W.non_main_subject × the number of its subjects (every augmenting path then pays), so
/// the check is made only there.
fn check_unmet_before(
    ds: &Dataset,
    f: &[Facts],
    written: &BTreeMap<(SchoolIx, SubjectIx), &CoverRow>,
    sink: &mut Sink,
) {
    let w = &ds.policy.weights;
    let mut teachers_at: Vec<Vec<usize>> = vec![Vec::new(); ds.schools.len()];
    for (i, te) in ds.teachers.iter().enumerate() {
        let at = match f[i].term {
            Term::Locked { at, .. } => at,
            _ => te.home,
        };
        teachers_at[at.ix()].push(i);
    }
    for (si, school) in ds.schools.iter().enumerate() {
        let s = SchoolIx(si as u32);
        let subjects: Vec<(SubjectIx, i64)> = (ds.demand.iter())
            .filter(|d| d.school == s && d.periods > 0)
            .map(|d| (d.subject, d.periods as i64))
            .collect();
        if subjects.is_empty()
            || subjects
                .iter()
                .any(|(k, _)| !written.contains_key(&(s, *k)))
        {
            continue;
        }
        let mults: Vec<f64> = (subjects.iter())
            .map(|(k, _)| school.priority * w.unmet_mult(&ds.subjects[k.ix()]))
            .collect();
        let m = mults[0];
        if mults.iter().any(|&x| x != m)
            || w.unmet * m <= w.non_main_subject * subjects.len() as f64
        {
            continue;
        }
        let flow = own_cover(ds, &teachers_at[si], &subjects);
        let demand: i64 = subjects.iter().map(|x| x.1).sum();
        let before: i64 = (subjects.iter())
            .map(|(k, _)| written[&(s, *k)].unmet_before)
            .sum();
        if before != demand - flow {
            sink.push(
                codes::UNMET_BEFORE,
                format!(
                    "coverage.csv: {}'s unmet_before adds up to {before} periods but with nobody moving or travelling its own teachers leave {} of its {demand} unmet",
                    school.id,
                    demand - flow
                ),
            );
        }
    }
}

/// The most periods of `subjects` (subject, demand) that the teachers `tl` (indices) can
/// cover, each within its capacity and its subjects: a max flow from the teachers to the
/// subjects.
fn own_cover(ds: &Dataset, tl: &[usize], subjects: &[(SubjectIx, i64)]) -> i64 {
    let mut cap = network(ds, tl, subjects);
    let dst = cap.len() - 1;
    for (b, (_, d)) in subjects.iter().enumerate() {
        cap[1 + tl.len() + b][dst] = *d;
    }
    max_flow(&mut cap, 0, dst)
}

/// The residual matrix of a flow from a source (0) to the teachers `staff` (indices, each
/// its capacity), on to the subjects of `subjects` (subject, demand) each may teach (at
/// most its demand), with the subjects' arcs to the sink (the last node) still closed.
fn network(ds: &Dataset, staff: &[usize], subjects: &[(SubjectIx, i64)]) -> Vec<Vec<i64>> {
    let n = 2 + staff.len() + subjects.len();
    let mut cap = vec![vec![0i64; n]; n];
    for (a, &t) in staff.iter().enumerate() {
        let te = &ds.teachers[t];
        cap[0][1 + a] = ds.capacity(crate::domain::TeacherIx(t as u32)) as i64;
        for (b, (k, d)) in subjects.iter().enumerate() {
            if te.subject == *k || te.extra_subjects.contains(k) {
                cap[1 + a][1 + staff.len() + b] = *d;
            }
        }
    }
    cap
}

/// Σ_k mult(k)·unmet(s,k) with nobody moving or travelling, at its smallest: the school's
/// own teachers (LOCKED ones where they serve) cover the heaviest subjects first. Coverage
/// vectors of a transportation problem form a polymatroid, so opening the subjects to the
/// sink one weight at a time, heaviest first, and pushing the most flow each time is
/// exact; a flow into the sink never decreases once pushed.
pub(crate) fn alone_weighted(
    ds: &Dataset,
    f: &[Facts],
    s: SchoolIx,
    mult: &dyn Fn(SubjectIx) -> f64,
) -> f64 {
    let staff: Vec<usize> = (0..ds.teachers.len())
        .filter(|&i| {
            let at = match f[i].term {
                Term::Locked { at, .. } => at,
                _ => ds.teachers[i].home,
            };
            at == s
        })
        .collect();
    let subjects: Vec<(SubjectIx, i64, f64)> = ds
        .demand
        .iter()
        .filter(|d| d.school == s && d.periods > 0)
        .map(|d| (d.subject, d.periods as i64, mult(d.subject)))
        .collect();
    let demand: Vec<(SubjectIx, i64)> = subjects.iter().map(|x| (x.0, x.1)).collect();
    let mut cap = network(ds, &staff, &demand);
    let (src, dst) = (0, cap.len() - 1);
    let mut levels: Vec<f64> = subjects.iter().map(|x| x.2).collect();
    levels.sort_by(|a, b| b.total_cmp(a));
    levels.dedup();
    for level in levels {
        for (b, (_, d, w)) in subjects.iter().enumerate() {
            if *w == level {
                cap[1 + staff.len() + b][dst] = *d;
            }
        }
        max_flow(&mut cap, src, dst);
    }
    subjects
        .iter()
        .enumerate()
        .map(|(b, (_, _, w))| w * cap[1 + staff.len() + b][dst] as f64)
        .sum()
}

/// Edmonds-Karp on a dense residual matrix.
fn max_flow(cap: &mut [Vec<i64>], src: usize, dst: usize) -> i64 {
    let n = cap.len();
    let mut total = 0;
    loop {
        let mut prev = vec![usize::MAX; n];
        prev[src] = src;
        let mut queue = VecDeque::from([src]);
        while let Some(u) = queue.pop_front() {
            if u == dst {
                break;
            }
            for v in 0..n {
                if prev[v] == usize::MAX && cap[u][v] > 0 {
                    prev[v] = u;
                    queue.push_back(v);
                }
            }
        }
        if prev[dst] == usize::MAX {
            return total;
        }
        let mut push = i64::MAX;
        let mut v = dst;
        while v != src {
            push = push.min(cap[prev[v]][v]);
            v = prev[v];
        }
        let mut v = dst;
        while v != src {
            cap[prev[v]][v] -= push;
            cap[v][prev[v]] += push;
            v = prev[v];
        }
        total += push;
    }
}

#[cfg(test)]
mod tests {
    use super::max_flow;

    #[test]
    fn max_flow_of_a_small_bipartite_graph() {
        // src 0; teachers 1, 2 (capacity 16 each); subjects 3 (demand 20), 4 (demand 10); sink 5.
        let mut c = vec![vec![0i64; 6]; 6];
        c[0][1] = 16;
        c[0][2] = 16;
        c[1][3] = 20;
        c[2][3] = 20;
        c[2][4] = 10;
        c[3][5] = 20;
        c[4][5] = 10;
        assert_eq!(max_flow(&mut c, 0, 5), 30);
    }
}
