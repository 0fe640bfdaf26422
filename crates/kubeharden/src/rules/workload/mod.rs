//! Workload hardening beyond the Pod Security Standards (NSA/CISA, CIS 5.x).

pub mod dangerous_capabilities;
pub mod default_service_account;
pub mod default_service_account_automount;
pub mod deprecated_service_account_field;
pub mod helpers;
pub mod host_aliases;
pub mod image_not_pinned;
pub mod image_tag_latest;
pub mod invalid_image_digest;
pub mod legacy_service_account_token;
pub mod low_user_id;
pub mod missing_resource_limits;
pub mod missing_resource_requests;
pub mod missing_runtime_class;
pub mod resources;
pub mod root_group;
pub mod secret_from_env;
pub mod secret_in_configmap;
pub mod secret_in_env;
pub mod secret_in_manifest;
pub mod sensitive_host_path;
pub mod service_account_token_automount;
pub mod share_process_namespace;
pub mod writable_host_path;
pub mod writable_root_filesystem;

use super::Rule;

/// In catalogue order (RULES.md §2).
pub static RULES: &[&Rule] = &[
    &writable_root_filesystem::RULE,
    &low_user_id::RULE,
    &root_group::RULE,
    &dangerous_capabilities::RULE,
    &sensitive_host_path::RULE,
    &writable_host_path::RULE,
    &default_service_account::RULE,
    &service_account_token_automount::RULE,
    &default_service_account_automount::RULE,
    &legacy_service_account_token::RULE,
    &deprecated_service_account_field::RULE,
    &image_tag_latest::RULE,
    &image_not_pinned::RULE,
    &invalid_image_digest::RULE,
    &missing_resource_limits::RULE,
    &missing_resource_requests::RULE,
    &secret_in_env::RULE,
    &secret_from_env::RULE,
    &secret_in_manifest::RULE,
    &secret_in_configmap::RULE,
    &missing_runtime_class::RULE,
    &host_aliases::RULE,
    &share_process_namespace::RULE,
];
