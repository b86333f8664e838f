//! A dataset cut down to some schools: their teachers, demand, communities, distances
//! and ledger rows, re-indexed. Used to solve independent parts of a county apart.

use std::collections::BTreeMap;

use super::{CommunityIx, Dataset, SchoolIx, TeacherIx};

/// The part and the way back to the whole dataset's indices.
pub struct Restricted {
    pub dataset: Dataset,
    /// Part school index → whole school index.
    pub schools: Vec<SchoolIx>,
    /// Part teacher index → whole teacher index.
    pub teachers: Vec<TeacherIx>,
}

impl Dataset {
    /// The part of this dataset on `schools` (sorted, no repeats); subjects keep their
    /// indices. Communities keep only
    /// their schools among these; the caller keeps whole communities together.
    pub fn restrict(&self, schools: &[SchoolIx]) -> Restricted {
        let mut school_map = vec![None; self.schools.len()];
        for (i, &s) in schools.iter().enumerate() {
            school_map[s.ix()] = Some(SchoolIx(i as u32));
        }
        let map_s = |s: SchoolIx| school_map[s.ix()];

        let mut communities = Vec::new();
        let mut community_map = vec![None; self.communities.len()];
        for (ci, c) in self.communities.iter().enumerate() {
            let core: Vec<SchoolIx> = c.core.iter().filter_map(|&s| map_s(s)).collect();
            let members: Vec<SchoolIx> = c.members.iter().filter_map(|&s| map_s(s)).collect();
            if core.is_empty() && members.is_empty() {
                continue;
            }
            community_map[ci] = Some(CommunityIx(communities.len() as u32));
            let mut c = c.clone();
            c.core = core;
            c.members = members;
            communities.push(c);
        }
        let new_schools = schools
            .iter()
            .map(|&s| {
                let mut school = self.school(s).clone();
                school.community = school.community.and_then(|c| community_map[c.ix()]);
                school
            })
            .collect();

        let teachers: Vec<TeacherIx> = self
            .teacher_ixs()
            .filter(|&t| map_s(self.teacher(t).home).is_some())
            .collect();
        let mut teacher_map = vec![None; self.teachers.len()];
        for (i, &t) in teachers.iter().enumerate() {
            teacher_map[t.ix()] = Some(TeacherIx(i as u32));
        }
        let new_teachers = teachers
            .iter()
            .map(|&t| {
                let mut te = self.teacher(t).clone();
                te.home = map_s(te.home).expect("kept with its home");
                // A forbidden school outside the part is out of reach anyway.
                te.pins.retain_mut(|p| match p.school {
                    Some(s) => map_s(s).map(|m| p.school = Some(m)).is_some(),
                    None => true,
                });
                te.kept = match te.kept {
                    super::Kept::At(s) => map_s(s).map_or(super::Kept::Elsewhere, super::Kept::At),
                    k => k,
                };
                te
            })
            .collect();

        let demand = self
            .demand
            .iter()
            .filter_map(|d| {
                Some(super::Demand {
                    school: map_s(d.school)?,
                    ..*d
                })
            })
            .collect();
        let distances: BTreeMap<(SchoolIx, SchoolIx), super::Leg> = self
            .distances
            .iter()
            .filter_map(|(&(a, b), l)| Some(((map_s(a)?, map_s(b)?), *l)))
            .collect();
        // A ledger row whose host is outside the part still fixes where a LOCKED teacher
        // is; callers keep such hosts in the part (see model::components).
        let ledger = self
            .ledger
            .iter()
            .filter_map(|r| {
                Some(super::LedgerEntry {
                    teacher: teacher_map[r.teacher.ix()]?,
                    from: map_s(r.from)?,
                    to: map_s(r.to)?,
                    ..r.clone()
                })
            })
            .collect();
        Restricted {
            dataset: Dataset {
                schools: new_schools,
                communities,
                teachers: new_teachers,
                subjects: self.subjects.clone(),
                demand,
                distances,
                ledger,
                requests: self
                    .requests
                    .iter()
                    .filter_map(|r| {
                        Some(super::Request {
                            school: map_s(r.school)?,
                            ..r.clone()
                        })
                    })
                    .collect(),
                policy: self.policy.clone(),
            },
            schools: schools.to_vec(),
            teachers,
        }
    }
}
