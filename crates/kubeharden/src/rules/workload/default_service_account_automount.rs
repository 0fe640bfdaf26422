//! `default-service-account-automount`: a namespace's `default` ServiceAccount hands its token
//! to every pod that does not opt out.

use crate::fix;
use crate::fix::Applicability;
use crate::model::Resource;
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "default-service-account-automount",
    family: Family::Workload,
    severity: Severity::Warning,
    tier: Tier::Hardened,
    summary: "A `default` ServiceAccount does not set automountServiceAccountToken: false, so every pod that uses it gets an API token.",
    docs: docs! {
        what: "Reports ServiceAccounts named `default` that do not set `automountServiceAccountToken: \
               false`: at the value when it is `true`, at the account's name when it is missing.",
        why: "Kubernetes creates a `default` ServiceAccount in every namespace and gives it to every pod \
              that names no other. With automounting on, each such pod carries an API token whether it \
              needs one or not, so one compromised container is enough to use whatever the account has \
              been granted. The CIS Kubernetes Benchmark (5.1.5) asks that default ServiceAccounts are \
              not used and do not automount tokens; the NSA/CISA hardening guide gives the same advice.",
        fail: r#"apiVersion: v1
kind: ServiceAccount
metadata:
  name: default
  namespace: shop
"#,
        pass: r#"apiVersion: v1
kind: ServiceAccount
metadata:
  name: default
  namespace: shop
automountServiceAccountToken: false
"#,
        fix: "Set `automountServiceAccountToken: false` on the `default` ServiceAccount of each namespace \
              (pods that need a token use their own ServiceAccount).",
        references: &[
            "https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting",
            "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
        ],
    },
    aliases: &["CIS 5.1.5", "checkov:CKV_K8S_41"],
    pss: None,
    checks: &[Versioned::always(Check::Resource(check))],
    fix: Some(Applicability::Hardening),
};

fn check(cx: &Cx<'_, '_>, resource: &Resource<'_>, sink: &mut Sink) {
    if !resource.is("", "ServiceAccount") || resource.name != Some("default") {
        return;
    }
    let namespace = resource.namespace();
    let help = "set automountServiceAccountToken: false on the default ServiceAccount";
    match resource.node.entry("automountServiceAccountToken") {
        Some((_, v)) if v.bool() == Some(false) => {}
        Some((_, v)) if v.bool() == Some(true) => {
            sink.report(
                resource,
                v.span(),
                resource.path("automountServiceAccountToken"),
                format!(
                    "the default ServiceAccount of namespace {namespace:?} sets automountServiceAccountToken: true"
                ),
                help,
            )
            .fix("set automountServiceAccountToken: false", fix::replace(v, "false"));
        }
        Some((_, v)) if !v.is_null() => {
            // A wrong type: invalid-resource reports it; the token is still mounted.
            sink.report(
                resource,
                v.span(),
                resource.path("automountServiceAccountToken"),
                format!("the default ServiceAccount of namespace {namespace:?} does not set automountServiceAccountToken: false"),
                help,
            );
        }
        _ => {
            let at = resource.metadata().and_then(|m| m.get("name")).map_or(resource.node.span(), |n| n.span());
            let reported = sink.report(
                resource,
                at,
                resource.path("automountServiceAccountToken"),
                format!("the default ServiceAccount of namespace {namespace:?} does not set automountServiceAccountToken: false"),
                help,
            );
            if let Some(edits) =
                fix::insert(cx.text(resource), resource.node, &["automountServiceAccountToken"], "false")
            {
                reported.fix("add automountServiceAccountToken: false", edits);
            }
        }
    }
}
