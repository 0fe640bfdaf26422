//! Pod Security Standards, one rule per upstream Pod Security Admission check, with the same
//! semantics and version behaviour (k8s.io/pod-security-admission `policy/check_*.go`), and the
//! namespace rules built on them: a namespace that enforces nothing, and an admission preview of
//! the workloads a namespace's labels would reject.
//!
//! Every `pss-*` message is `<upstream forbidden reason>: <detail>` (see [`common::message`]),
//! so the admission preview can rebuild the API server's own summary from the same findings.

pub mod admission;
pub mod common;

pub mod apparmor;
pub mod capabilities_baseline;
pub mod capabilities_restricted;
pub mod host_namespaces;
pub mod host_path_volumes;
pub mod host_ports;
pub mod host_probes;
pub mod host_process;
pub mod namespace_without_pod_security;
pub mod privilege_escalation;
pub mod privileged;
pub mod proc_mount;
pub mod proc_mount_restricted;
pub mod rejected_by_pod_security;
pub mod run_as_non_root;
pub mod run_as_user;
pub mod seccomp_baseline;
pub mod seccomp_restricted;
pub mod selinux;
pub mod sysctls;
pub mod volume_types;

use super::Rule;

/// In catalogue order: the baseline checks, the restricted checks, the namespace rules.
pub static RULES: &[&Rule] = &[
    &host_process::RULE,
    &host_namespaces::RULE,
    &privileged::RULE,
    &capabilities_baseline::RULE,
    &host_path_volumes::RULE,
    &host_ports::RULE,
    &apparmor::RULE,
    &selinux::RULE,
    &proc_mount::RULE,
    &seccomp_baseline::RULE,
    &sysctls::RULE,
    &host_probes::RULE,
    &privilege_escalation::RULE,
    &capabilities_restricted::RULE,
    &proc_mount_restricted::RULE,
    &volume_types::RULE,
    &run_as_non_root::RULE,
    &run_as_user::RULE,
    &seccomp_restricted::RULE,
    &namespace_without_pod_security::RULE,
    &rejected_by_pod_security::RULE,
];
