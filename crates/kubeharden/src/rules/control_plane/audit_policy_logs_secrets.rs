//! `audit-policy-logs-secrets`: the audit log records Secret contents.

use crate::model::Resource;
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};
use crate::source::NodeRef;

pub static RULE: Rule = Rule {
    id: "audit-policy-logs-secrets",
    family: Family::ControlPlane,
    severity: Severity::Warning,
    tier: Tier::Hardened,
    summary: "An audit Policy logs Secret bodies (a rule that matches secrets at Request or RequestResponse level).",
    docs: docs! {
        what: "Walks the rules of each audit `Policy` (audit.k8s.io) in order, as the API server does (the \
               first matching rule sets the level), and reports the first rule that can match requests on \
               Secrets at level `Request` or `RequestResponse`: a rule naming `secrets` or `*` in the core \
               group, or a catch-all rule without `resources` and `nonResourceURLs`. Earlier rules that match \
               every Secret request (no `users`, `userGroups`, `verbs`, `namespaces` or `resourceNames`) at \
               `None` or `Metadata` protect the rules after them.",
        why: "At `Request` level the audit log stores the request body, at `RequestResponse` the response too: \
              every Secret created, updated or read ends up in clear in log files and in whatever ships and \
              indexes them. Secrets (and ConfigMaps, which often hold credentials) belong at `Metadata`. CIS \
              Kubernetes Benchmark 3.2.2 and the Kubernetes auditing guide.",
        fail: r#"apiVersion: audit.k8s.io/v1
kind: Policy
rules:
- level: RequestResponse
"#,
        pass: r#"apiVersion: audit.k8s.io/v1
kind: Policy
rules:
- level: Metadata
  resources:
  - group: ""
    resources: [secrets, configmaps]
- level: RequestResponse
"#,
        fix: "Add a rule `{level: Metadata, resources: [{group: \"\", resources: [secrets, configmaps]}]}` \
              before any rule that logs request or response bodies.",
        references: &[
            "https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy",
            "https://www.cisecurity.org/benchmark/kubernetes",
        ],
    },
    aliases: &["CIS 3.2.2", "kube-bench:3.2.2"],
    pss: None,
    checks: &[Versioned::always(Check::Global(check))],
    fix: Some(crate::fix::Applicability::Hardening),
};

fn check(cx: &Cx<'_, '_>, sink: &mut Sink) {
    for policy in cx.model.of_kind("Policy").filter(|r| r.group() == "audit.k8s.io") {
        check_policy(sink, policy, cx.text(policy));
    }
}

/// How a rule's `resources` relate to Secrets: (may match some Secret requests, matches all of them).
fn secrets_match(rule: NodeRef<'_>) -> (bool, bool) {
    let Some(resources) = rule.field("resources") else {
        // No resources: every resource request, unless the rule is for non-resource URLs only.
        let all = rule.field("nonResourceURLs").is_none_or(|n| n.is_empty());
        return (all, all);
    };
    let mut some = false;
    let mut every = false;
    for group in resources.items() {
        let core = group.field("group").and_then(|g| g.str()).is_none_or(str::is_empty);
        if !core {
            continue;
        }
        let names = group.field("resources");
        let hits = names
            .is_none_or(|n| n.is_empty() || n.items().filter_map(|r| r.str()).any(|r| matches!(r, "secrets" | "*")));
        if hits {
            some = true;
            if group.field("resourceNames").is_none_or(|n| n.is_empty()) {
                every = true;
            }
        }
    }
    (some, every)
}

fn restricted(rule: NodeRef<'_>) -> bool {
    ["users", "userGroups", "verbs", "namespaces"].iter().any(|k| rule.field(k).is_some_and(|v| !v.is_empty()))
}

fn check_policy(sink: &mut Sink, policy: &Resource<'_>, text: &str) {
    let Some(rules) = policy.node.field("rules") else {
        return;
    };
    for (i, rule) in rules.items().enumerate() {
        let (some, every) = secrets_match(rule);
        if !some {
            continue;
        }
        let level = rule.field("level");
        let name = level.and_then(|l| l.str()).unwrap_or("");
        if matches!(name, "Request" | "RequestResponse") {
            let what = if rule.field("resources").is_some() {
                "matches Secrets"
            } else {
                "matches every resource request, Secrets included,"
            };
            let reported = sink.report(
                policy,
                level.map_or(rule.span(), |l| l.span()),
                policy.path(&format!("rules[{i}].level")),
                format!("the audit log records Secret contents: rules[{i}] {what} at level {name}"),
                "log secrets at Metadata: add {level: Metadata, resources: [{group: \"\", resources: [secrets, configmaps]}]} before this rule",
            );
            let first = "{level: Metadata, resources: [{group: \"\", resources: [secrets, configmaps]}]}";
            if let Some(edits) = crate::fix::insert_item_before(text, rules, i, first) {
                reported.fix("log secrets and configmaps at Metadata first", edits);
            }
            return;
        }
        if every && !restricted(rule) {
            return;
        }
    }
}
