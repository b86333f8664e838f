//! What each school reaches with nobody moving or travelling: its own staff at home,
//! LOCKED teachers where they serve, ENDING ones back home. Rule 12 (members not worse
//! off) caps a member's weighted unmet periods by it.
//!
//! With nobody moving, a teacher teaches only at one school, so each school is a small
//! transportation problem of its own: teachers (capacity c(t)) to subjects (demand r),
//! minimising Σ_k mult(s,k)·unmet(s,k). The coverage vectors such a problem can reach form
//! a polymatroid, so the greedy is exact: saturate the subjects of the largest weight
//! first, then the next, by augmenting paths that never lower a coverage already reached.

use std::collections::VecDeque;

use super::{Dataset, LedgerState, SchoolIx, SubjectIx, TeacherFacts, TeacherIx};

impl Dataset {
    /// Per school, the smallest Σ_k mult(s,k)·u(s,k) with nobody moving (B(s) of rule 12).
    pub fn unmet_alone(&self, facts: &[TeacherFacts]) -> Vec<f64> {
        let mut at: Vec<Vec<TeacherIx>> = vec![Vec::new(); self.schools.len()];
        for t in self.teacher_ixs() {
            let place = match facts[t.ix()].state {
                LedgerState::Locked(l) => l,
                _ => self.teacher(t).home,
            };
            at[place.ix()].push(t);
        }
        self.school_ixs()
            .map(|s| self.school_alone(s, &at[s.ix()]))
            .collect()
    }

    fn school_alone(&self, s: SchoolIx, staff: &[TeacherIx]) -> f64 {
        let rows: Vec<(SubjectIx, u32, f64)> = self
            .demand
            .iter()
            .filter(|d| d.school == s && d.periods > 0)
            .map(|d| (d.subject, d.periods, self.unmet_mult(s, d.subject)))
            .collect();
        let mut net = Net::new(
            staff.iter().map(|&t| self.capacity(t)).collect(),
            rows.iter().map(|r| r.1).collect(),
            staff
                .iter()
                .map(|&t| {
                    let q: Vec<SubjectIx> = self.qualified(t).collect();
                    (0..rows.len())
                        .filter(|&k| q.contains(&rows[k].0))
                        .collect()
                })
                .collect(),
        );
        net.cover(&rows.iter().map(|r| r.2).collect::<Vec<_>>());
        rows.iter()
            .enumerate()
            .map(|(k, r)| r.2 * (r.1 - net.covered[k]) as f64)
            .sum()
    }
}

/// One school's teaching as a transportation problem: teachers (periods they can give)
/// → subjects (periods needed), each teacher to the subjects it may teach. `cover` finds
/// the best weighted coverage; `flow[t][k]` is then who teaches what.
pub(crate) struct Net {
    spare: Vec<u32>,
    room: Vec<u32>,
    pub covered: Vec<u32>,
    open: Vec<bool>,
    /// Per teacher, the subjects it may teach (indices into the rows).
    may: Vec<Vec<usize>>,
    /// flow[t][k]
    pub flow: Vec<Vec<u32>>,
}

impl Net {
    pub(crate) fn new(capacity: Vec<u32>, demand: Vec<u32>, may: Vec<Vec<usize>>) -> Net {
        let (nt, nk) = (capacity.len(), demand.len());
        Net {
            spare: capacity,
            covered: vec![0; nk],
            open: vec![false; nk],
            room: demand,
            may,
            flow: vec![vec![0; nk]; nt],
        }
    }

    /// The coverage that leaves the least Σ_k weight(k)·unmet(k): subjects opened one
    /// weight level at a time, heaviest first (ties by index), each time as much flow
    /// as will go.
    pub(crate) fn cover(&mut self, weight: &[f64]) {
        let mut order: Vec<usize> = (0..weight.len()).collect();
        order.sort_by(|&a, &b| weight[b].total_cmp(&weight[a]).then(a.cmp(&b)));
        let mut i = 0;
        while i < order.len() {
            let level = weight[order[i]];
            while i < order.len() && weight[order[i]] == level {
                self.open[order[i]] = true;
                i += 1;
            }
            while self.augment() {}
        }
    }

    /// One augmenting path from a teacher with spare periods to an open subject with
    /// room, through subjects whose teachers hand them over (breadth first); false when
    /// there is none.
    fn augment(&mut self) -> bool {
        let (nt, nk) = (self.spare.len(), self.room.len());
        // For a subject: the teacher that reached it; for a teacher: the subject it left.
        let mut via_teacher: Vec<Option<usize>> = vec![None; nk];
        let mut via_subject: Vec<Option<usize>> = vec![None; nt];
        let mut seen_t = vec![false; nt];
        let mut queue: VecDeque<usize> = (0..nt).filter(|&t| self.spare[t] > 0).collect();
        queue.iter().for_each(|&t| seen_t[t] = true);
        let mut end = None;
        'search: while let Some(t) = queue.pop_front() {
            for &k in &self.may[t] {
                if via_teacher[k].is_some() {
                    continue;
                }
                via_teacher[k] = Some(t);
                if self.open[k] && self.room[k] > 0 {
                    end = Some(k);
                    break 'search;
                }
                for o in 0..nt {
                    if !seen_t[o] && self.flow[o][k] > 0 {
                        seen_t[o] = true;
                        via_subject[o] = Some(k);
                        queue.push_back(o);
                    }
                }
            }
        }
        let Some(end) = end else { return false };
        // The bottleneck along the path, then the push.
        let mut push = self.room[end];
        let mut k = end;
        let start = loop {
            let t = via_teacher[k].expect("on the path");
            match via_subject[t] {
                Some(prev) => {
                    push = push.min(self.flow[t][prev]);
                    k = prev;
                }
                None => break t,
            }
        };
        push = push.min(self.spare[start]);
        let mut k = end;
        loop {
            let t = via_teacher[k].expect("on the path");
            self.flow[t][k] += push;
            match via_subject[t] {
                Some(prev) => {
                    self.flow[t][prev] -= push;
                    k = prev;
                }
                None => break,
            }
        }
        self.spare[start] -= push;
        self.room[end] -= push;
        self.covered[end] += push;
        true
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::{DatasetBuilder, SchoolKind, Stages, TeacherSpec};

    /// One 语文 teacher who may teach 音乐, 16 periods; 语文 needs 12 and 音乐 8. With 音乐
    /// weighted 3, covering 音乐 first (8) and 语文 with the rest (8) leaves 4 语文
    /// periods: 4. Unweighted-first would leave 4 音乐 periods: 12.
    #[test]
    fn the_heavier_subject_is_covered_first() {
        let mut t = TeacherSpec::new("T1", "A", "语文");
        t.extra = vec!["音乐".into()];
        let mut ds = DatasetBuilder::new()
            .school("A", SchoolKind::Rural, Stages::PRIMARY, None)
            .teacher(t)
            .demand("A", "语文", 12)
            .demand("A", "音乐", 8)
            .build();
        ds.policy.weights.unmet_subject.insert("音乐".into(), 3.0);
        let facts = ds.teacher_facts();
        assert_eq!(ds.unmet_alone(&facts), vec![4.0]);
    }

    /// A covers 数学 through a chain: T1 (数学, 语文) holds 语文; T2 (语文) can take it over
    /// only if T1 moves to 数学. Demand 语文 16, 数学 16, two teachers of 16: all covered.
    #[test]
    fn augmenting_paths_hand_subjects_over() {
        let mut t1 = TeacherSpec::new("T1", "A", "语文");
        t1.extra = vec!["数学".into()];
        let ds = DatasetBuilder::new()
            .school("A", SchoolKind::Rural, Stages::PRIMARY, None)
            .priority("A", 2.0)
            .teacher(t1)
            .teacher(TeacherSpec::new("T2", "A", "语文"))
            .demand("A", "语文", 16)
            .demand("A", "数学", 20)
            .build();
        let facts = ds.teacher_facts();
        // 4 数学 periods stay unmet, at priority 2.
        assert_eq!(ds.unmet_alone(&facts), vec![8.0]);
    }
}
