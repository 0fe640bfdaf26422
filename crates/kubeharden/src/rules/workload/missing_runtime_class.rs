//! `missing-runtime-class`: a pod does not run in a sandboxed runtime (opt-in).

use crate::model::{PodSpec, Resource};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "missing-runtime-class",
    family: Family::Workload,
    severity: Severity::Info,
    tier: Tier::OptIn,
    summary: "The pod does not select a sandboxed RuntimeClass (gVisor, Kata Containers), so it shares the node's kernel.",
    docs: docs! {
        what: "Reports pods and pod templates whose `runtimeClassName` is unset, or names a class that is \
               not a sandbox. Sandboxes are the names in the config's `sandboxRuntimeClasses` (by \
               default gvisor, runsc, kata, kata-containers, kata-qemu, kata-fc, kata-clh), and any \
               RuntimeClass of the input whose `handler` is one of them. With an empty \
               `sandboxRuntimeClasses`, any `runtimeClassName` is accepted. Opt-in: enable it in the \
               config (`rules: {missing-runtime-class: on}`) for clusters that offer a sandbox.",
        why: "Containers on the default runtime share the node's kernel: one kernel vulnerability is \
              enough to escape. A sandboxed runtime puts a second boundary in between (gVisor's \
              user-space kernel, Kata's lightweight VM). The NSA/CISA hardening guide recommends \
              hypervisor- or sandbox-backed containers for untrusted and multi-tenant workloads.",
        fail: r#"apiVersion: v1
kind: Pod
metadata:
  name: build
spec:
  containers:
  - name: build
    image: builder:1.0
"#,
        pass: r#"apiVersion: v1
kind: Pod
metadata:
  name: build
spec:
  runtimeClassName: gvisor
  containers:
  - name: build
    image: builder:1.0
"#,
        fix: "Set `runtimeClassName` to the cluster's sandbox RuntimeClass (for example `gvisor`), or list \
              the cluster's own sandbox class names in `sandboxRuntimeClasses`.",
        references: &[
            "https://kubernetes.io/docs/concepts/containers/runtime-class/",
            "https://gvisor.dev/docs/user_guide/quick_start/kubernetes/",
            "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
        ],
    },
    aliases: &[],
    pss: None,
    checks: &[Versioned::always(Check::Pod(check))],
    fix: None,
};

/// Whether a RuntimeClass name is a sandbox: configured by name, or a RuntimeClass of the input
/// whose handler is configured.
fn is_sandbox(cx: &Cx<'_, '_>, name: &str) -> bool {
    let sandboxes = cx.settings.sandbox_runtime_classes;
    if sandboxes.is_empty() || sandboxes.iter().any(|s| s == name) {
        return true;
    }
    cx.model.of_kind("RuntimeClass").any(|rc| {
        rc.name == Some(name)
            && rc.node.field("handler").and_then(|h| h.str()).is_some_and(|h| sandboxes.iter().any(|s| s == h))
    })
}

fn check(cx: &Cx<'_, '_>, resource: &Resource<'_>, pod: &PodSpec<'_>, sink: &mut Sink) {
    let configured = cx.settings.sandbox_runtime_classes.join(", ");
    let help = if configured.is_empty() {
        "set runtimeClassName to the cluster's sandbox RuntimeClass".to_owned()
    } else {
        format!("set runtimeClassName to a sandbox RuntimeClass ({configured})")
    };
    match pod.field("runtimeClassName").filter(|v| v.str().is_some_and(|s| !s.is_empty())) {
        Some(value) => {
            let name = value.str().unwrap_or("");
            if !is_sandbox(cx, name) {
                sink.report(
                    resource,
                    value.span(),
                    pod.path("runtimeClassName"),
                    format!("no sandbox runtime: runtimeClassName {name:?} is not a configured sandbox, so the pod shares the node's kernel"),
                    help,
                );
            }
        }
        None => {
            sink.report(
                resource,
                pod.spec_key.span(),
                pod.path("runtimeClassName"),
                "no sandbox runtime: the pod sets no runtimeClassName, so it shares the node's kernel",
                help,
            );
        }
    }
}
