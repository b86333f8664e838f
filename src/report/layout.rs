//! Where the map draws things. Schools are projected from lat/lon, then pushed apart where
//! their circles would overlap: a county seat's schools stand a few hundred metres apart,
//! and a township's primary and junior school often share one address, so drawn true to
//! scale they hide each other and every move ends in one blot. Labels go where they hide
//! no other label or school. All of it is deterministic: the same schools give the same
//! picture.

use crate::domain::Dataset;

/// The drawing area of the map, in SVG units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Canvas {
    pub w: f64,
    pub h: f64,
    pub pad: f64,
}

impl Canvas {
    /// Larger for a large county, so that 250 schools keep room between them; never wider
    /// than the page beside the legend.
    pub fn for_schools(n: usize) -> Canvas {
        let f = ((n as f64 / 60.0).sqrt()).clamp(1.0, 1.3);
        Canvas {
            w: (820.0 * f).round(),
            h: (620.0 * f).round(),
            pad: 50.0,
        }
    }
}

/// Equirectangular projection of the schools with coordinates onto the canvas, fitted to
/// their bounding box and centred.
pub fn project(ds: &Dataset, c: Canvas) -> Vec<Option<(f64, f64)>> {
    let ll: Vec<Option<(f64, f64)>> = ds
        .schools
        .iter()
        .map(|s| match (s.lat, s.lon) {
            (Some(a), Some(o)) if a.is_finite() && o.is_finite() => Some((a, o)),
            _ => None,
        })
        .collect();
    let known: Vec<(f64, f64)> = ll.iter().flatten().copied().collect();
    if known.is_empty() {
        return ll;
    }
    let min = |g: fn(&(f64, f64)) -> f64| known.iter().map(g).fold(f64::INFINITY, f64::min);
    let max = |g: fn(&(f64, f64)) -> f64| known.iter().map(g).fold(f64::NEG_INFINITY, f64::max);
    let (lat0, lat1) = (min(|p| p.0), max(|p| p.0));
    let (lon0, lon1) = (min(|p| p.1), max(|p| p.1));
    let k = ((lat0 + lat1) / 2.0).to_radians().cos().abs().max(0.01);
    let dx = ((lon1 - lon0) * k).max(1e-6);
    let dy = (lat1 - lat0).max(1e-6);
    let scale = ((c.w - 2.0 * c.pad) / dx).min((c.h - 2.0 * c.pad) / dy);
    let ox = (c.w - dx * scale) / 2.0;
    let oy = (c.h - dy * scale) / 2.0;
    ll.into_iter()
        .map(|p| p.map(|(a, o)| (ox + (o - lon0) * k * scale, oy + (lat1 - a) * scale)))
        .collect()
}

/// Circles pushed apart until no two overlap (`gap` units between them at least), each
/// pair moving half the overlap along the line between them; circles at one spot leave it
/// at angles fixed by their indices. Kept inside the canvas.
pub fn spread(
    pos: &[Option<(f64, f64)>],
    radius: &[f64],
    gap: f64,
    c: Canvas,
) -> Vec<Option<(f64, f64)>> {
    let idx: Vec<usize> = (0..pos.len()).filter(|&i| pos[i].is_some()).collect();
    let mut p: Vec<(f64, f64)> = idx.iter().map(|&i| pos[i].expect("filtered")).collect();
    let r: Vec<f64> = idx.iter().map(|&i| radius[i]).collect();
    const GOLDEN: f64 = 2.399_963_229_728_653;
    for _ in 0..600 {
        let mut moved = false;
        for i in 0..p.len() {
            for j in i + 1..p.len() {
                let need = r[i] + r[j] + gap;
                let (dx, dy) = (p[j].0 - p[i].0, p[j].1 - p[i].1);
                let d = dx.hypot(dy);
                if d >= need - 1e-6 {
                    continue;
                }
                let (ux, uy) = if d > 1e-6 {
                    (dx / d, dy / d)
                } else {
                    let a = GOLDEN * (i * p.len() + j) as f64;
                    (a.cos(), a.sin())
                };
                let push = (need - d) / 2.0 + 0.01;
                p[i] = (p[i].0 - ux * push, p[i].1 - uy * push);
                p[j] = (p[j].0 + ux * push, p[j].1 + uy * push);
                moved = true;
            }
        }
        for (q, ri) in p.iter_mut().zip(&r) {
            q.0 = q.0.clamp(*ri + 2.0, c.w - ri - 2.0);
            q.1 = q.1.clamp(*ri + 2.0, c.h - ri - 2.0);
        }
        if !moved {
            break;
        }
    }
    let mut out = vec![None; pos.len()];
    for (k, &i) in idx.iter().enumerate() {
        out[i] = Some(p[k]);
    }
    out
}

/// Convex hull (monotone chain), counter-clockwise.
pub fn hull(mut pts: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    pts.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    pts.dedup();
    if pts.len() < 3 {
        return pts;
    }
    let cross = |o: (f64, f64), a: (f64, f64), b: (f64, f64)| {
        (a.0 - o.0) * (b.1 - o.1) - (a.1 - o.1) * (b.0 - o.0)
    };
    let half = |pts: &mut dyn Iterator<Item = (f64, f64)>| {
        let mut h: Vec<(f64, f64)> = Vec::new();
        for p in pts {
            while h.len() >= 2 && cross(h[h.len() - 2], h[h.len() - 1], p) <= 0.0 {
                h.pop();
            }
            h.push(p);
        }
        h.pop();
        h
    };
    let mut lower = half(&mut pts.iter().copied());
    lower.extend(half(&mut pts.iter().rev().copied()));
    lower
}

/// An axis-aligned box: x0, y0, x1, y1.
pub type Rect = (f64, f64, f64, f64);

fn overlaps(a: Rect, b: Rect) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// Text width in SVG units at `size`: a CJK character is about a square, others half.
pub fn text_width(s: &str, size: f64) -> f64 {
    s.chars()
        .map(|c| if c.is_ascii() { 0.6 } else { 1.0 })
        .sum::<f64>()
        * size
}

/// Labels placed one after another where they overlap nothing placed before: the labels
/// already placed and the `blocked` boxes (the schools' circles).
pub struct Labels {
    placed: Vec<Rect>,
    blocked: Vec<Rect>,
}

/// Where a label's text goes: its anchor point and `text-anchor`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spot {
    pub x: f64,
    pub y: f64,
    pub anchor: &'static str,
}

impl Labels {
    pub fn new(blocked: Vec<Rect>) -> Labels {
        Labels {
            placed: Vec::new(),
            blocked,
        }
    }

    /// The first of `spots` where text of width `w` and height `size` overlaps nothing,
    /// marked as taken; `None` when every spot is taken. `own` is the box of the thing
    /// labelled, which the label may touch.
    pub fn place(&mut self, spots: &[Spot], w: f64, size: f64, own: Option<Rect>) -> Option<Spot> {
        let rect = |s: &Spot| {
            let x0 = match s.anchor {
                "end" => s.x - w,
                "middle" => s.x - w / 2.0,
                _ => s.x,
            };
            (x0, s.y - size * 0.85, x0 + w, s.y + size * 0.2)
        };
        let spot = spots.iter().copied().find(|s| {
            let r = rect(s);
            !self.placed.iter().any(|&p| overlaps(p, r))
                && !self
                    .blocked
                    .iter()
                    .any(|&b| Some(b) != own && overlaps(b, r))
        })?;
        self.placed.push(rect(&spot));
        Some(spot)
    }
}

/// The four places beside a circle, right first: right, left, above, below.
pub fn beside(x: f64, y: f64, r: f64, size: f64) -> [Spot; 4] {
    [
        Spot {
            x: x + r + 2.0,
            y: y + size * 0.35,
            anchor: "start",
        },
        Spot {
            x: x - r - 2.0,
            y: y + size * 0.35,
            anchor: "end",
        },
        Spot {
            x,
            y: y - r - 2.0,
            anchor: "middle",
        },
        Spot {
            x,
            y: y + r + size,
            anchor: "middle",
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    const C: Canvas = Canvas {
        w: 800.0,
        h: 600.0,
        pad: 50.0,
    };

    #[test]
    fn spread_separates_circles_at_one_spot_and_leaves_far_ones() {
        let mut pos = vec![Some((400.0, 300.0)); 12];
        pos.push(Some((100.0, 100.0)));
        pos.push(None);
        let r = vec![8.0; pos.len()];
        let out = spread(&pos, &r, 3.0, C);
        assert_eq!(out[13], None);
        assert_eq!(out[12], Some((100.0, 100.0)), "a lone school stays put");
        let p: Vec<(f64, f64)> = out.iter().flatten().copied().collect();
        for i in 0..p.len() {
            for j in i + 1..p.len() {
                let d = (p[i].0 - p[j].0).hypot(p[i].1 - p[j].1);
                assert!(d >= 19.0 - 0.1, "{i} and {j} are {d} apart");
            }
        }
        // The cluster stays where it was, only opened up.
        let (cx, cy) = p[..12]
            .iter()
            .fold((0.0, 0.0), |a, q| (a.0 + q.0 / 12.0, a.1 + q.1 / 12.0));
        assert!((cx - 400.0).abs() < 5.0 && (cy - 300.0).abs() < 5.0);
        assert_eq!(spread(&pos, &r, 3.0, C), out, "deterministic");
    }

    #[test]
    fn labels_never_overlap() {
        let mut l = Labels::new(vec![(95.0, 95.0, 105.0, 105.0)]);
        let spots = beside(100.0, 100.0, 5.0, 10.0);
        let own = Some((95.0, 95.0, 105.0, 105.0));
        let a = l.place(&spots, 24.0, 10.0, own).unwrap();
        assert_eq!(a.anchor, "start");
        let b = l.place(&spots, 24.0, 10.0, own).unwrap();
        assert_eq!(b.anchor, "end", "the right side is taken");
        l.place(&spots, 24.0, 10.0, own).unwrap();
        l.place(&spots, 24.0, 10.0, own).unwrap();
        assert_eq!(l.place(&spots, 24.0, 10.0, own), None, "every spot taken");
    }

    #[test]
    fn hull_of_a_square_with_a_point_inside() {
        let h = hull(vec![
            (0.0, 0.0),
            (1.0, 0.0),
            (1.0, 1.0),
            (0.0, 1.0),
            (0.5, 0.5),
        ]);
        assert_eq!(h.len(), 4);
        assert!(!h.contains(&(0.5, 0.5)));
    }
}
