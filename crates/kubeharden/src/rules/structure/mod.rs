//! Structure: can the input be read, and is each object well-formed?

pub mod ambiguous_yaml_value;
pub mod duplicate_key;
pub mod expired_exemption;
pub mod input_limit_exceeded;
pub mod invalid_resource;
pub mod invalid_yaml;
pub mod unused_exemption;

use super::Rule;

pub static RULES: &[&Rule] = &[
    &invalid_yaml::RULE,
    &duplicate_key::RULE,
    &ambiguous_yaml_value::RULE,
    &invalid_resource::RULE,
    &input_limit_exceeded::RULE,
    &unused_exemption::RULE,
    &expired_exemption::RULE,
];
