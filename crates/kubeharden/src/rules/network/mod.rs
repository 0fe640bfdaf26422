//! Rules of the `network` family.

use super::Rule;

pub static RULES: &[&Rule] = &[];
