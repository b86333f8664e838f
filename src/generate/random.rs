//! Draws that give the same bits on every machine: integer ranges as u64 (rand samples
//! `usize` ranges differently on 32- and 64-bit targets) and only `+ − × ÷` on floats
//! (libm's `ln`, `cos` may differ in the last place between platforms).

use rand::Rng;
use rand_chacha::ChaCha8Rng;

pub(crate) type Rand = ChaCha8Rng;

/// Uniform in `0..n` (`n > 0`).
pub(crate) fn below(rng: &mut Rand, n: usize) -> usize {
    rng.gen_range(0..n as u64) as usize
}

/// Uniform in `lo..=hi`.
pub(crate) fn between(rng: &mut Rand, lo: i64, hi: i64) -> i64 {
    rng.gen_range(lo..=hi)
}

/// Uniform in [0, 1).
pub(crate) fn unit(rng: &mut Rand) -> f64 {
    rng.gen::<f64>()
}

pub(crate) fn chance(rng: &mut Rand, p: f64) -> bool {
    unit(rng) < p
}

/// About N(0, 1): the sum of 12 uniforms minus 6 (Irwin–Hall), tails cut at ±6.
pub(crate) fn normalish(rng: &mut Rand) -> f64 {
    (0..12).map(|_| unit(rng)).sum::<f64>() - 6.0
}

/// ⌊x + u⌋ with u uniform in [0, 1): an integer whose mean is x (x ≥ 0).
pub(crate) fn stochastic_round(rng: &mut Rand, x: f64) -> usize {
    (x + unit(rng)).floor().max(0.0) as usize
}

/// An index drawn with the given non-negative weights (the last positive one if rounding
/// leaves the draw past the end). `None` if every weight is 0.
pub(crate) fn weighted(rng: &mut Rand, weights: &[f64]) -> Option<usize> {
    let total: f64 = weights.iter().sum();
    if total <= 0.0 {
        return None;
    }
    let mut r = unit(rng) * total;
    let mut last = None;
    for (i, &w) in weights.iter().enumerate() {
        if w > 0.0 {
            if r < w {
                return Some(i);
            }
            r -= w;
            last = Some(i);
        }
    }
    last
}

/// Fisher–Yates with `below`.
pub(crate) fn shuffle<T>(rng: &mut Rand, v: &mut [T]) {
    for i in (1..v.len()).rev() {
        let j = below(rng, i + 1);
        v.swap(i, j);
    }
}

/// cos of an angle in degrees by its Taylor series (|deg| ≤ 60 here): arithmetic only.
pub(crate) fn cos_deg(deg: f64) -> f64 {
    let x = deg * std::f64::consts::PI / 180.0;
    let x2 = x * x;
    let mut term = 1.0;
    let mut sum = 1.0;
    for n in 1..12 {
        term *= -x2 / ((2 * n - 1) as f64 * (2 * n) as f64);
        sum += term;
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cos_matches_libm() {
        for d in [0.0, 24.5, 28.69, 35.96, 45.0, 60.0] {
            assert!((cos_deg(d) - d.to_radians().cos()).abs() < 1e-12);
        }
    }
}
