//! Schema: is each object what the API server accepts? Every field of every built-in kind is
//! checked against the OpenAPI schema of the target Kubernetes version (see `crate::schema`);
//! each rule reports one kind of problem. Schemas cover v1.25 to v1.37: at older targets the
//! family does not run.

pub mod duplicate_list_key;
pub mod invalid_annotation;
pub mod invalid_crd_schema;
pub mod invalid_enum_value;
pub mod invalid_field_value;
pub mod invalid_label;
pub mod invalid_object_name;
pub mod invalid_quantity;
pub mod missing_required_field;
pub mod unevaluated_validation_rule;
pub mod unknown_field;
pub mod unvalidated_custom_resource;
pub mod violated_validation_rule;
pub mod wrong_field_type;

use super::Rule;

/// The first Kubernetes minor with a schema.
pub const SINCE: u16 = 25;

pub static RULES: &[&Rule] = &[
    &unknown_field::RULE,
    &wrong_field_type::RULE,
    &missing_required_field::RULE,
    &invalid_enum_value::RULE,
    &invalid_quantity::RULE,
    &invalid_field_value::RULE,
    &duplicate_list_key::RULE,
    &invalid_object_name::RULE,
    &invalid_label::RULE,
    &invalid_annotation::RULE,
    &invalid_crd_schema::RULE,
    &unvalidated_custom_resource::RULE,
    &unevaluated_validation_rule::RULE,
    &violated_validation_rule::RULE,
];

/// The references every rule of the family shares.
pub const REFERENCES: &[&str] = &[
    "https://kubernetes.io/docs/reference/using-api/api-concepts/#field-validation",
    "https://kubernetes.io/docs/reference/kubernetes-api/",
];
