//! Rules of the `control-plane` family.

use super::Rule;

pub static RULES: &[&Rule] = &[];
