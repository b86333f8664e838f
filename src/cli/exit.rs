//! Exit codes: distinct for each outcome a script may need to tell apart.

pub const OK: u8 = 0;
pub const ERROR: u8 = 1;
pub const INVALID_DATA: u8 = 2;
pub const FEASIBLE: u8 = 3;
pub const NO_PLAN: u8 = 4;
pub const RULES_BROKEN: u8 = 5;
pub const CHECK_FAILED: u8 = 6;

/// The exit code that says more of two: invalid data, no plan, stopped early, rules broken.
pub fn worse(a: u8, b: u8) -> u8 {
    let rank = |c: u8| match c {
        INVALID_DATA => 4,
        NO_PLAN => 3,
        FEASIBLE => 2,
        RULES_BROKEN => 1,
        _ => 0,
    };
    if rank(b) > rank(a) {
        b
    } else {
        a
    }
}
