//! Rules of the `rbac` family.

use super::Rule;

pub static RULES: &[&Rule] = &[];
