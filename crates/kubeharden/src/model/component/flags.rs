//! Flags read the way the components read them (pflag for the Kubernetes components, Go's
//! `flag` package for etcd): which flags are booleans, `--flag=value` and `--flag value`,
//! Go's boolean syntax.

use super::{Arg, ComponentKind, Flag};
use crate::source::ByteSpan;

impl ComponentKind {
    /// The Kubernetes components parse flags with pflag and treat `_` as `-`; etcd uses Go's
    /// `flag` package, which does neither.
    fn normalises_names(self) -> bool {
        self != ComponentKind::Etcd
    }

    /// Boolean flags take no separate value: `--profiling false` sets profiling to true and
    /// leaves `false` as a positional argument.
    fn is_bool_flag(self, name: &str) -> bool {
        let common =
            ["profiling", "contention-profiling", "logtostderr", "alsologtostderr", "leader-elect", "help", "version"];
        if common.contains(&name) {
            return true;
        }
        let specific: &[&str] = match self {
            ComponentKind::ApiServer => &[
                "anonymous-auth",
                "allow-privileged",
                "enable-bootstrap-token-auth",
                "enable-aggregator-routing",
                "enable-garbage-collector",
                "enable-priority-and-fairness",
                "enable-logs-handler",
                "audit-log-compress",
                "kubelet-https",
                "service-account-lookup",
                "service-account-extend-token-expiration",
                "watch-cache",
            ],
            ComponentKind::ControllerManager => &[
                "use-service-account-credentials",
                "allocate-node-cidrs",
                "configure-cloud-routes",
                "enable-hostpath-provisioner",
                "enable-dynamic-provisioning",
                "enable-garbage-collector",
                "enable-taint-manager",
            ],
            ComponentKind::Scheduler => &[],
            ComponentKind::Etcd => &[
                "client-cert-auth",
                "peer-client-cert-auth",
                "auto-tls",
                "peer-auto-tls",
                "enable-v2",
                "enable-pprof",
                "strict-reconfig-check",
                "debug",
                "force-new-cluster",
                "experimental-initial-corrupt-check",
                "experimental-enable-lease-checkpoint",
            ],
            ComponentKind::Kubelet => &[
                "anonymous-auth",
                "rotate-certificates",
                "rotate-server-certificates",
                "protect-kernel-defaults",
                "make-iptables-util-chains",
                "register-node",
                "register-schedulable",
                "fail-swap-on",
                "serialize-image-pulls",
                "enable-server",
                "enable-debugging-handlers",
                "cgroups-per-qos",
                "exit-on-lock-contention",
                "kernel-memcg-notification",
            ],
        };
        specific.contains(&name)
    }
}

/// Go's `strconv.ParseBool`.
pub fn parse_go_bool(text: &str) -> Option<bool> {
    match text {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// Reads flags from the arguments after the binary.
pub(super) fn parse_flags(kind: ComponentKind, args: &[Arg]) -> Vec<Flag> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        i += 1;
        let t = arg.text.as_str();
        if t == "--" {
            break;
        }
        let (body, dashes) = match t.strip_prefix("--") {
            Some(rest) => (rest, 2),
            None => match t.strip_prefix('-') {
                Some(rest) if !rest.is_empty() => (rest, 1),
                _ => continue,
            },
        };
        let (raw_name, value) = match body.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (body, None),
        };
        if raw_name.is_empty() {
            continue;
        }
        let name = if kind.normalises_names() { raw_name.replace('_', "-") } else { raw_name.to_owned() };
        let mut span = arg.span;
        let mut value_span = None;
        let value = match value {
            Some(v) => {
                value_span = arg.verbatim.map(|s| {
                    let start = s + dashes + raw_name.len() + 1;
                    ByteSpan::new(start, start + v.len())
                });
                Some(v.to_owned())
            }
            None if !kind.is_bool_flag(&name) => match args.get(i) {
                Some(next) if !next.text.starts_with('-') => {
                    i += 1;
                    span = ByteSpan::new(arg.span.start as usize, next.span.end.max(arg.span.end) as usize);
                    value_span = next.verbatim.map(|s| ByteSpan::new(s, s + next.text.len()));
                    Some(next.text.clone())
                }
                _ => None,
            },
            None => None,
        };
        out.push(Flag { name, value, span, value_span, path: arg.path.clone(), from_env: false });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arg(text: &str) -> Arg {
        Arg { text: text.into(), span: ByteSpan::default(), verbatim: None, path: String::new() }
    }

    #[test]
    fn parses_flags_like_the_components() {
        let args: Vec<Arg> = [
            "--anonymous-auth",
            "false",
            "--authorization-mode",
            "RBAC",
            "-profiling=false",
            "--token_auth_file=/x",
            "--",
            "--audit-log-path=/y",
        ]
        .into_iter()
        .map(arg)
        .collect();
        let flags = parse_flags(ComponentKind::ApiServer, &args);
        let got: Vec<(&str, Option<&str>)> = flags.iter().map(|f| (f.name.as_str(), f.value.as_deref())).collect();
        assert_eq!(
            got,
            vec![
                ("anonymous-auth", None),
                ("authorization-mode", Some("RBAC")),
                ("profiling", Some("false")),
                ("token-auth-file", Some("/x")),
            ]
        );
        assert_eq!(flags.first().and_then(Flag::bool), Some(true));
        let etcd = parse_flags(ComponentKind::Etcd, &[arg("--cert_file=/c")]);
        assert_eq!(etcd.first().map(|f| f.name.as_str()), Some("cert_file"));
        assert_eq!(parse_go_bool("T"), Some(true));
        assert_eq!(parse_go_bool("yes"), None);
    }
}
