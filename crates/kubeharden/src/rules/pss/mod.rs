//! Pod Security Standards, one rule per upstream Pod Security Admission check, with the same
//! semantics and version behaviour (k8s.io/pod-security-admission `policy/check_*.go`).
//!
//! Every `pss-*` message is `<upstream forbidden reason>: <detail>` (see [`common::message`]).

pub mod common;

pub mod apparmor;
pub mod capabilities_baseline;
pub mod capabilities_restricted;
pub mod host_namespaces;
pub mod host_path_volumes;
pub mod host_ports;
pub mod host_probes;
pub mod host_process;
pub mod privilege_escalation;
pub mod privileged;
pub mod proc_mount;
pub mod proc_mount_restricted;
pub mod run_as_non_root;
pub mod run_as_user;
pub mod seccomp_baseline;
pub mod seccomp_restricted;
pub mod selinux;
pub mod sysctls;
pub mod volume_types;

use super::Rule;

/// In catalogue order: the baseline checks, then the restricted checks.
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
];
