//! The independent checker: placeholder owned by the checker work.
