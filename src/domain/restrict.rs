//! A dataset cut down to some schools: their teachers, demand, communities, distances
//! and ledger rows, re-indexed. Used to solve independent parts of a county apart.

use std::collections::BTreeMap;

use super::{
    Community, CommunityIx, Dataset, Demand, Kept, LedgerEntry, Leg, Request, School, SchoolIx,
    Teacher, TeacherIx,
};

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
        let cut = Cut::new(self, schools);
        let (communities, community_map) = cut.communities();
        Restricted {
            dataset: Dataset {
                schools: cut.schools(schools, &community_map),
                communities,
                teachers: cut.teachers(),
                subjects: self.subjects.clone(),
                demand: cut.demand(),
                distances: cut.distances(),
                ledger: cut.ledger(),
                requests: cut.requests(),
                policy: self.policy.clone(),
            },
            schools: schools.to_vec(),
            teachers: cut.kept,
        }
    }
}

/// The whole dataset's schools and teachers in the part's indices (`None`: not in it).
struct Cut<'a> {
    ds: &'a Dataset,
    school: Vec<Option<SchoolIx>>,
    teacher: Vec<Option<TeacherIx>>,
    /// The part's teachers (those whose home is in it), in the whole dataset's order.
    kept: Vec<TeacherIx>,
}

impl<'a> Cut<'a> {
    fn new(ds: &'a Dataset, schools: &[SchoolIx]) -> Self {
        let mut school = vec![None; ds.schools.len()];
        for (i, &s) in schools.iter().enumerate() {
            school[s.ix()] = Some(SchoolIx(i as u32));
        }
        let kept: Vec<TeacherIx> = ds
            .teacher_ixs()
            .filter(|&t| school[ds.teacher(t).home.ix()].is_some())
            .collect();
        let mut teacher = vec![None; ds.teachers.len()];
        for (i, &t) in kept.iter().enumerate() {
            teacher[t.ix()] = Some(TeacherIx(i as u32));
        }
        Cut {
            ds,
            school,
            teacher,
            kept,
        }
    }

    fn s(&self, s: SchoolIx) -> Option<SchoolIx> {
        self.school[s.ix()]
    }

    /// The communities with a school in the part, holding only those; and each whole
    /// community's index in the part.
    fn communities(&self) -> (Vec<Community>, Vec<Option<CommunityIx>>) {
        let mut communities = Vec::new();
        let mut map = vec![None; self.ds.communities.len()];
        for (ci, c) in self.ds.communities.iter().enumerate() {
            let core: Vec<SchoolIx> = c.core.iter().filter_map(|&s| self.s(s)).collect();
            let members: Vec<SchoolIx> = c.members.iter().filter_map(|&s| self.s(s)).collect();
            if core.is_empty() && members.is_empty() {
                continue;
            }
            map[ci] = Some(CommunityIx(communities.len() as u32));
            let mut c = c.clone();
            c.core = core;
            c.members = members;
            communities.push(c);
        }
        (communities, map)
    }

    fn schools(&self, schools: &[SchoolIx], community: &[Option<CommunityIx>]) -> Vec<School> {
        let school = |&s: &SchoolIx| {
            let mut school = self.ds.school(s).clone();
            school.community = school.community.and_then(|c| community[c.ix()]);
            school
        };
        schools.iter().map(school).collect()
    }

    fn teachers(&self) -> Vec<Teacher> {
        let teacher = |&t: &TeacherIx| {
            let mut te = self.ds.teacher(t).clone();
            te.home = self.s(te.home).expect("kept with its home");
            // A forbidden school outside the part is out of reach anyway.
            te.pins.retain_mut(|p| match p.school {
                Some(s) => self.s(s).map(|m| p.school = Some(m)).is_some(),
                None => true,
            });
            te.kept = match te.kept {
                Kept::At(s) => self.s(s).map_or(Kept::Elsewhere, Kept::At),
                k => k,
            };
            te
        };
        self.kept.iter().map(teacher).collect()
    }

    fn demand(&self) -> Vec<Demand> {
        let demand = self.ds.demand.iter();
        demand
            .filter_map(|d| {
                let school = self.s(d.school)?;
                Some(Demand { school, ..*d })
            })
            .collect()
    }

    fn distances(&self) -> BTreeMap<(SchoolIx, SchoolIx), Leg> {
        let legs = self.ds.distances.iter();
        legs.filter_map(|(&(a, b), l)| Some(((self.s(a)?, self.s(b)?), *l)))
            .collect()
    }

    /// A ledger row whose host is outside the part still fixes where a LOCKED teacher
    /// is; callers keep such hosts in the part (see model::components).
    fn ledger(&self) -> Vec<LedgerEntry> {
        let ledger = self.ds.ledger.iter();
        ledger
            .filter_map(|r| {
                Some(LedgerEntry {
                    teacher: self.teacher[r.teacher.ix()]?,
                    from: self.s(r.from)?,
                    to: self.s(r.to)?,
                    ..r.clone()
                })
            })
            .collect()
    }

    fn requests(&self) -> Vec<Request> {
        let requests = self.ds.requests.iter();
        requests
            .filter_map(|r| {
                let school = self.s(r.school)?;
                Some(Request {
                    school,
                    ..r.clone()
                })
            })
            .collect()
    }
}
