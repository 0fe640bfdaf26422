//! `pss-capabilities-restricted`: Pod Security Standards restricted, check `capabilities_restricted`.

use super::common::{container_anchor, is_windows, message, quote, str_or_empty};
use crate::fix;
use crate::fix::Applicability;
use crate::fix::append_item;
use crate::model::{PodSpec, Resource};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, PssCheck, PssLevel, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "pss-capabilities-restricted",
    family: Family::Pss,
    severity: Severity::Error,
    tier: Tier::Restricted,
    summary: "A container does not drop ALL capabilities, or adds one other than NET_BIND_SERVICE.",
    docs: docs! {
        what: "From Kubernetes v1.22: reports every container, init container and ephemeral container \
               whose `securityContext.capabilities.drop` does not contain `ALL` (at the list, or at the \
               nearest parent when it is missing), and every entry of `capabilities.add` other than \
               `NET_BIND_SERVICE`. Names compare case-sensitively, as the API server does. From v1.25 \
               pods with `spec.os.name: windows` are exempt. Where it applies it replaces \
               `pss-capabilities-baseline`.",
        why: "Even the runtime's default capabilities (NET_RAW for spoofed packets, DAC_OVERRIDE, SETUID, \
              MKNOD...) are more than most applications need, and each one widens what an attacker can do \
              after a compromise. Dropping ALL and adding back only what is needed (at most binding \
              ports below 1024) is the least-privilege setting the Pod Security Standards require at the \
              restricted level.",
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
        drop: [NET_RAW]
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
        drop: [ALL]
        add: [NET_BIND_SERVICE]
"#,
        fix: "Set `securityContext.capabilities.drop: [\"ALL\"]` on every container and remove every added \
              capability except `NET_BIND_SERVICE`.",
        references: &[
            "https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted",
            "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#set-capabilities-for-a-container",
        ],
    },
    aliases: &[
        "capabilities_restricted",
        "CIS 5.2.8",
        "CIS 5.2.9",
        "CIS 5.2.10",
        "kube-linter:drop-net-raw-capability",
        "checkov:CKV_K8S_28",
        "trivy:KSV003",
        "kubescape:C-0046",
    ],
    pss: Some(PssCheck {
        id: "capabilities_restricted",
        level: PssLevel::Restricted,
        overrides: &["pss-capabilities-baseline"],
    }),
    checks: &[Versioned::since(22, Check::Pod(v1_22)), Versioned::since(25, Check::Pod(v1_25))],
    fix: Some(Applicability::Hardening),
};

const REASON: &str = "unrestricted capabilities";

fn v1_22(cx: &Cx<'_, '_>, resource: &Resource<'_>, pod: &PodSpec<'_>, sink: &mut Sink) {
    let text = cx.text(resource);
    for c in pod.containers() {
        let drop = c.sc(&["capabilities", "drop"]);
        if !drop.is_some_and(|d| d.items().any(|i| i.str() == Some("ALL"))) {
            let detail = format!("{} must set securityContext.capabilities.drop=[\"ALL\"]", c.label());
            let help = "add ALL to securityContext.capabilities.drop (then add back only NET_BIND_SERVICE if needed)";
            let path = c.sc_path("capabilities.drop");
            match drop {
                Some(list) => {
                    let reported = sink.report(resource, list.span(), path, message(REASON, detail), help);
                    // Quote the new item like the existing ones (JSON input quotes everything).
                    let quoted = list
                        .items()
                        .next()
                        .and_then(|first| text.get(first.span().start as usize..))
                        .is_some_and(|s| s.starts_with('"'));
                    let item = if quoted { "\"ALL\"" } else { "ALL" };
                    if let Some(edits) = append_item(text, list, item) {
                        reported.fix("add ALL to capabilities.drop", edits);
                    }
                }
                None => {
                    let reported = sink.report(
                        resource,
                        container_anchor(c, &["securityContext", "capabilities"]),
                        path,
                        message(REASON, detail),
                        help,
                    );
                    if let Some(edits) =
                        fix::insert(text, c.node, &["securityContext", "capabilities", "drop"], "[ALL]")
                    {
                        reported.fix("add capabilities.drop: [ALL]", edits);
                    }
                }
            }
        }
        let Some(add) = c.sc(&["capabilities", "add"]) else {
            continue;
        };
        for (i, item) in add.items().enumerate() {
            let name = str_or_empty(item);
            if name == "NET_BIND_SERVICE" {
                continue;
            }
            let reported = sink.report(
                resource,
                item.span(),
                c.sc_path(&format!("capabilities.add[{i}]")),
                message(
                    REASON,
                    format!("{} must not include {} in securityContext.capabilities.add", c.label(), quote(name)),
                ),
                format!("remove {name} from capabilities.add (only NET_BIND_SERVICE may be added)"),
            );
            if let Some(edits) = crate::fix::remove_item(text, add, i) {
                reported.fix(format!("remove {name} from capabilities.add"), edits);
            }
        }
    }
}

/// Windows pods are exempt: Linux capabilities do not apply to them.
fn v1_25(cx: &Cx<'_, '_>, resource: &Resource<'_>, pod: &PodSpec<'_>, sink: &mut Sink) {
    if is_windows(pod) {
        return;
    }
    v1_22(cx, resource, pod, sink);
}
