//! `dangerous-capabilities`: a container adds a Linux capability that breaks isolation.

use crate::fix::Applicability;
use crate::model::{PodSpec, Resource};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

/// Capabilities that hand a container control over the node or other workloads, with why.
pub const DANGEROUS: &[(&str, &str)] = &[
    ("ALL", "every capability, as good as privileged"),
    ("SYS_ADMIN", "mounts, namespaces, BPF and much more: the usual first step of a container escape"),
    ("NET_ADMIN", "reconfigures interfaces, routes and firewall rules, and can intercept traffic"),
    ("SYS_PTRACE", "reads and injects code into other processes (the node's too with hostPID)"),
    ("SYS_MODULE", "loads kernel modules, so runs code in the node's kernel"),
    ("SYS_RAWIO", "raw access to I/O ports and memory devices"),
    ("SYS_BOOT", "reboots the node or loads a new kernel"),
    ("SYS_TIME", "sets the node's clock for every workload"),
    ("BPF", "loads eBPF programs into the node's kernel"),
    ("PERFMON", "reads kernel and other processes' data through perf events and eBPF"),
    ("DAC_READ_SEARCH", "bypasses file read permissions and opens files by handle (the \"shocker\" escape)"),
    ("MAC_ADMIN", "changes the AppArmor or SELinux policy that confines containers"),
    ("MAC_OVERRIDE", "bypasses the AppArmor or SELinux policy that confines containers"),
    ("SYSLOG", "reads the kernel log, which exposes kernel addresses"),
];

pub static RULE: Rule = Rule {
    id: "dangerous-capabilities",
    family: Family::Workload,
    severity: Severity::Error,
    tier: Tier::Hardened,
    summary: "A container adds a Linux capability that gives it power over the node or other workloads (SYS_ADMIN, NET_ADMIN, SYS_PTRACE, ALL, …).",
    docs: docs! {
        what: "Reports each entry of `securityContext.capabilities.add`, in every container kind, that is one \
               of ALL, SYS_ADMIN, NET_ADMIN, SYS_PTRACE, SYS_MODULE, SYS_RAWIO, SYS_BOOT, SYS_TIME, BPF, \
               PERFMON, DAC_READ_SEARCH, MAC_ADMIN, MAC_OVERRIDE or SYSLOG. Names are read the way the \
               container runtimes read them: containerd and CRI-O upper-case them and add the `CAP_` \
               prefix, Docker also accepts the prefix, so `sys_admin` and `CAP_SYS_ADMIN` are reported \
               too, with a note: Pod Security Admission compares names case-sensitively and lets those \
               spellings through.",
        why: "Capabilities split root's power; these are the parts that reach beyond the container. \
              SYS_ADMIN alone enables most known escapes, NET_ADMIN lets a pod rewrite the node's network \
              and read other pods' traffic, SYS_PTRACE and DAC_READ_SEARCH read other processes and \
              files, SYS_MODULE and BPF run code in the kernel. The NSA/CISA hardening guide and the CIS \
              Kubernetes Benchmark (5.2.9) ask to add no capabilities beyond what a workload needs, and \
              never these.",
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
        add: ["SYS_ADMIN"]
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
        drop: ["ALL"]
        add: ["NET_BIND_SERVICE"]
"#,
        fix: "Remove the capability from `capabilities.add`. If the workload really needs an operation it \
              grants, move that operation out of the pod (a node agent, a CSI or CNI plugin) or grant a \
              narrower capability; start from `drop: [\"ALL\"]`.",
        references: &[
            "https://man7.org/linux/man-pages/man7/capabilities.7.html",
            "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#set-capabilities-for-a-container",
            "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
        ],
    },
    aliases: &["CIS 5.2.9", "polaris:dangerousCapabilities", "checkov:CKV_K8S_39"],
    pss: None,
    checks: &[Versioned::always(Check::Pod(check))],
    fix: Some(Applicability::Hardening),
};

/// The capability a runtime grants for a name in `capabilities.add`: upper-cased, without a
/// `CAP_` prefix.
pub fn canonical(name: &str) -> String {
    let upper = name.trim().to_ascii_uppercase();
    upper.strip_prefix("CAP_").map(str::to_owned).unwrap_or(upper)
}

fn check(cx: &Cx<'_, '_>, resource: &Resource<'_>, pod: &PodSpec<'_>, sink: &mut Sink) {
    for c in pod.containers() {
        let Some(add) = c.sc(&["capabilities", "add"]) else { continue };
        for (i, item) in add.items().enumerate() {
            let Some(name) = item.str() else { continue };
            let cap = canonical(name);
            let Some((_, why)) = DANGEROUS.iter().find(|(d, _)| *d == cap) else { continue };
            let spelling = if name == cap {
                String::new()
            } else {
                format!(
                    " (written {name:?}, which runtimes may grant as {cap} although Pod Security Admission does not recognise it)"
                )
            };
            let reported = sink.report(
                resource,
                item.span(),
                c.sc_path(&format!("capabilities.add[{i}]")),
                format!("dangerous capability: {} adds {cap}: {why}{spelling}", c.label()),
                format!("remove {name} from securityContext.capabilities.add"),
            );
            if let Some(edits) = crate::fix::remove_item(cx.text(resource), add, i) {
                reported.fix(format!("remove {name} from capabilities.add"), edits);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::canonical;

    #[test]
    fn names_read_as_runtimes_read_them() {
        assert_eq!(canonical("SYS_ADMIN"), "SYS_ADMIN");
        assert_eq!(canonical("sys_admin"), "SYS_ADMIN");
        assert_eq!(canonical("CAP_SYS_ADMIN"), "SYS_ADMIN");
        assert_eq!(canonical("cap_net_admin"), "NET_ADMIN");
        assert_eq!(canonical("all"), "ALL");
    }
}
