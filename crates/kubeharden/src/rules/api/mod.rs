//! Rules of the `api` family.

use super::Rule;

pub static RULES: &[&Rule] = &[];
