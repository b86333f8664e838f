//! Baselines the benchmark compares lungang against (issue 4): placeholder.
