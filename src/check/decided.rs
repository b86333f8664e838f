//! The planner's decisions (MODEL.md "Pins"): each pin holds exactly in the plan, and with
//! a kept plan (`check --keep`) summary.json's `changes` and its term `change` are each
//! teacher whose full-time place in Y differs from that plan's.

use super::assignments::Place;
use super::files::{Kind, Summary};
use super::routes::Trips;
use super::{codes, Sink};
use crate::domain::{Dataset, Kept, PinAction};

/// Every pin of the dataset (or of `--pins`) against the plan's places and trips.
pub(crate) fn check_pins(ds: &Dataset, places: &[Place], trips: &Trips, sink: &mut Sink) {
    for (i, te) in ds.teachers.iter().enumerate() {
        let place = places.get(i).copied().unwrap_or(Place::Home);
        let travels = trips.at_stop.keys().any(|(t, _)| t.ix() == i);
        for pin in &te.pins {
            let sid = |s: Option<crate::domain::SchoolIx>| {
                s.map_or("", |s| ds.schools[s.ix()].id.as_str())
            };
            let held = match pin.action {
                PinAction::Stay => place == Place::Home,
                PinAction::Move => place.new_move().is_some() && place.new_move() == pin.school,
                PinAction::Forbid => place.new_move().is_none() || place.new_move() != pin.school,
                PinAction::Extend => matches!(
                    place,
                    Place::Away {
                        kind: Kind::Extension,
                        ..
                    }
                ),
                PinAction::NoTrips => !travels,
            };
            if !held {
                sink.push(
                    codes::PIN,
                    format!(
                        "{} is pinned `{}` {} but the plan does not hold it",
                        te.id,
                        pin.action.as_str(),
                        sid(pin.school)
                    ),
                );
            }
        }
    }
}

/// With a kept plan: summary.json's `changes` against the places, and the term `change`
/// derived (`None` without a kept plan, when summary.json must have neither).
pub(crate) fn check_changes(
    ds: &Dataset,
    places: &[Place],
    summary: &Summary,
    sink: &mut Sink,
) -> Option<f64> {
    if !ds.keeps_plan() {
        if summary.changes.is_some() || summary.terms.contains_key("change") {
            sink.push(
                codes::CHANGES,
                "summary.json has changes from a kept plan: check it with --keep and that plan folder",
            );
        }
        return None;
    }
    let mut derived: Vec<[String; 3]> = Vec::new();
    for (i, te) in ds.teachers.iter().enumerate() {
        let after = places
            .get(i)
            .copied()
            .unwrap_or(Place::Home)
            .school(te.home);
        if let Kept::At(before) = te.kept {
            if before != after {
                let id = |s: crate::domain::SchoolIx| ds.schools[s.ix()].id.clone();
                derived.push([te.id.clone(), id(before), id(after)]);
            }
        }
    }
    derived.sort();
    match &summary.changes {
        None => sink.push(codes::CHANGES, "summary.json: `changes` is missing"),
        Some(written) if *written != derived => sink.push(
            codes::CHANGES,
            format!(
                "summary.json: `changes` lists {} teacher(s) but {} are placed differently from the kept plan: {}",
                written.len(),
                derived.len(),
                derived.iter().map(|c| c.join(" ")).collect::<Vec<_>>().join(", ")
            ),
        ),
        _ => {}
    }
    Some(ds.policy.weights.change * derived.len() as f64)
}
