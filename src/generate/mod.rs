//! Synthetic counties (issue 2): placeholder owned by the generator work.
