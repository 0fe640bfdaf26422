//! `pss-capabilities-baseline`: Pod Security Standards baseline, check `capabilities_baseline`.

use super::common::{message, quote, str_or_empty};
use crate::fix::Applicability;
use crate::model::{PodSpec, Resource};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, PssCheck, PssLevel, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "pss-capabilities-baseline",
    family: Family::Pss,
    severity: Severity::Error,
    tier: Tier::Baseline,
    summary: "A container adds a Linux capability outside the container runtime's default set.",
    docs: docs! {
        what: "Reports every entry of `securityContext.capabilities.add`, on every container, init \
               container and ephemeral container, that is not one of the runtime's default capabilities: \
               AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, \
               SETGID, SETPCAP, SETUID, SYS_CHROOT. Names compare case-sensitively and without a `CAP_` \
               prefix, as the API server does. At the restricted level `pss-capabilities-restricted` \
               replaces this rule from v1.22.",
        why: "Capabilities split root's power into pieces; the runtime's default set is already generous. \
              Adding more (SYS_ADMIN, NET_ADMIN, SYS_PTRACE, BPF, NET_RAW...) hands the container powers \
              that lead to escapes to the node or attacks on its neighbours. The Pod Security Standards \
              allow nothing beyond the default set from the baseline level up.",
        fail: r#"apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx:1.27
    securityContext:
      capabilities:
        add: [NET_ADMIN]
"#,
        pass: r#"apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx:1.27
    securityContext:
      capabilities:
        add: [NET_BIND_SERVICE]
"#,
        fix: "Remove the capability from `capabilities.add`. If the workload really needs it, run it in a \
              namespace whose Pod Security level is `privileged`, and review why.",
        references: &[
            "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
            "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#set-capabilities-for-a-container",
            "https://man7.org/linux/man-pages/man7/capabilities.7.html",
        ],
    },
    aliases: &["capabilities_baseline", "CIS 5.2.9", "checkov:CKV_K8S_25", "polaris:insecureCapabilities"],
    pss: Some(PssCheck { id: "capabilities_baseline", level: PssLevel::Baseline, overrides: &[] }),
    checks: &[Versioned::always(Check::Pod(check))],
    fix: Some(Applicability::Hardening),
};

/// The capabilities container runtimes grant by default.
pub const DEFAULT_CAPABILITIES: &[&str] = &[
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

fn check(cx: &Cx<'_, '_>, resource: &Resource<'_>, pod: &PodSpec<'_>, sink: &mut Sink) {
    for c in pod.containers() {
        let Some(add) = c.sc(&["capabilities", "add"]) else {
            continue;
        };
        for (i, item) in add.items().enumerate() {
            let name = str_or_empty(item);
            if DEFAULT_CAPABILITIES.contains(&name) {
                continue;
            }
            let reported = sink.report(
                resource,
                item.span(),
                c.sc_path(&format!("capabilities.add[{i}]")),
                message(
                    "non-default capabilities",
                    format!("{} must not include {} in securityContext.capabilities.add", c.label(), quote(name)),
                ),
                format!("remove {name} from capabilities.add (only the runtime's default capabilities are allowed)"),
            );
            if let Some(edits) = crate::fix::remove_item(cx.text(resource), add, i) {
                reported.fix(format!("remove {name} from capabilities.add"), edits);
            }
        }
    }
}
