//! Rule IDs that were renamed, and the ID each now goes by. IDs are a public contract: a
//! config, an exemption annotation, `--enable`/`--disable` or `explain` written with a former
//! ID keeps working and means the renamed rule. New names follow the catalogue's naming rule
//! (an ID names the bad pattern, not the setting it is about).

/// `(former ID, current ID)`, in the order of the current rules in the catalogue.
pub const RENAMED: &[(&str, &str)] = &[
    ("apiserver-admission-plugins", "apiserver-weak-admission-plugins"),
    ("apiserver-anonymous-auth", "apiserver-anonymous-auth-enabled"),
    ("apiserver-audit-log", "apiserver-audit-log-disabled"),
    ("apiserver-authorization-mode", "apiserver-weak-authorization-mode"),
    ("apiserver-encryption-at-rest", "apiserver-no-encryption-at-rest"),
    ("apiserver-insecure-port", "apiserver-insecure-port-enabled"),
    ("apiserver-kubelet-tls", "apiserver-kubelet-tls-unverified"),
    ("apiserver-profiling", "apiserver-profiling-enabled"),
    ("audit-policy-secrets", "audit-policy-logs-secrets"),
    ("control-plane-version", "control-plane-version-unsupported"),
    ("controller-manager-service-account-credentials", "controller-manager-shared-credentials"),
    ("etcd-client-tls", "etcd-weak-client-tls"),
    ("kubelet-anonymous-auth", "kubelet-anonymous-auth-enabled"),
    ("kubelet-authorization-mode", "kubelet-authorization-always-allow"),
    ("kubelet-certificate-rotation", "kubelet-certificate-rotation-disabled"),
    ("kubelet-protect-kernel-defaults", "kubelet-kernel-defaults-unprotected"),
    ("kubelet-read-only-port", "kubelet-read-only-port-enabled"),
];

/// The current ID of a former one.
pub fn current(former: &str) -> Option<&'static str> {
    RENAMED.iter().find(|(old, _)| *old == former).map(|(_, new)| *new)
}

/// The former IDs of a rule, oldest first.
pub fn former(id: &str) -> impl Iterator<Item = &'static str> + '_ {
    RENAMED.iter().filter(move |(_, new)| *new == id).map(|(old, _)| *old)
}
