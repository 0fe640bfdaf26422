//! Workload hardening beyond the Pod Security Standards (NSA/CISA, CIS 5.x).

pub mod image_tag_latest;
pub mod service_account_token_automount;
pub mod writable_root_filesystem;

use super::Rule;

pub static RULES: &[&Rule] =
    &[&writable_root_filesystem::RULE, &image_tag_latest::RULE, &service_account_token_automount::RULE];
