//! Pod Security Standards, one rule per upstream Pod Security Admission check, with the same
//! semantics and version behaviour (k8s.io/pod-security-admission `policy/check_*.go`).

pub mod host_namespaces;
pub mod privileged;

use super::Rule;

pub static RULES: &[&Rule] = &[&host_namespaces::RULE, &privileged::RULE];
