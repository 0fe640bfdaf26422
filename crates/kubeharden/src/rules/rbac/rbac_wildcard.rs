//! `rbac-wildcard`: `*` in a role's verbs, resources or apiGroups.

use crate::model::rbac::is_resource_pattern;
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "rbac-wildcard",
    family: Family::Rbac,
    severity: Severity::Warning,
    tier: Tier::Hardened,
    summary: "A Role or ClusterRole uses `*` in verbs, resources or apiGroups.",
    docs: docs! {
        what: "Reports each `*` in the `verbs`, `resources` or `apiGroups` of a Role or ClusterRole rule, at the \
               value, including subresource wildcards such as `*/scale` (the scale subresource of every \
               resource). A `*` anywhere else (`pods/*`, `*/*`, `get*`) is not a wildcard: the authorizer \
               compares it literally, so the entry grants nothing, and it is reported as the mistake it is. \
               Roles shipped by Kubernetes (such as `cluster-admin`, labelled \
               `kubernetes.io/bootstrapping: rbac-defaults`) are not reported. `nonResourceURLs` patterns are \
               not reported.",
        why: "A wildcard grants everything that exists today and everything added later: new verbs, new \
              resources, every CustomResourceDefinition installed afterwards. The grant cannot be reviewed \
              and silently grows. The CIS Kubernetes Benchmark (5.1.3) and the NSA/CISA guide's least \
              privilege advice ask for explicit lists.",
        fail: r#"apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: app
  namespace: shop
rules:
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["*"]
"#,
        pass: r#"apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: app
  namespace: shop
rules:
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["get", "list", "watch", "update"]
"#,
        fix: "List the verbs, resources and API groups the workload uses (`kubectl auth can-i --list` or \
              the audit log show what it calls).",
        references: &[
            "https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege",
            "https://kubernetes.io/docs/reference/access-authn-authz/rbac/#role-and-clusterrole",
        ],
    },
    aliases: &["CIS 5.1.3", "kube-linter:wildcard-in-rules", "kubescape:C-0187"],
    pss: None,
    checks: &[Versioned::always(Check::Global(check))],
    fix: None,
};

/// What a value with a `*` means to the RBAC authorizer (`ResourceMatches`, `VerbMatches`,
/// `APIGroupMatches`): only `*` itself, and `*/<subresource>` in resources, are wildcards; any
/// other `*` is compared literally and matches nothing.
enum Meaning {
    /// A real wildcard: what it grants.
    Grants(String),
    /// Matches no request (`pods/*`, `*/*`, `get*`).
    Nothing,
}

fn meaning(field: &str, text: &str) -> Meaning {
    if text == "*" {
        return Meaning::Grants(
            match field {
                "verbs" => "every verb, including escalate, bind and impersonate",
                "apiGroups" => "every API group, including those of future CustomResourceDefinitions",
                _ => "every resource and subresource of the listed groups",
            }
            .to_owned(),
        );
    }
    match text.strip_prefix("*/") {
        Some(sub) if field == "resources" && is_resource_pattern(text) => {
            Meaning::Grants(format!("the {sub} subresource of every resource"))
        }
        _ => Meaning::Nothing,
    }
}

fn check(cx: &Cx<'_, '_>, sink: &mut Sink) {
    for role in cx.model.rbac().input_roles() {
        let Some(resource) = role.resource.and_then(|id| cx.model.resource(id)) else { continue };
        for rule in &role.rules {
            for (field, values) in
                [("verbs", &rule.verbs), ("apiGroups", &rule.api_groups), ("resources", &rule.resources)]
            {
                for (i, v) in values.iter().enumerate() {
                    let Some(node) = v.node else { continue };
                    if !v.text.contains('*') {
                        continue;
                    }
                    let path = format!("{}.{field}[{i}]", rule.path);
                    match meaning(field, v.text) {
                        Meaning::Grants(what) => sink.report(
                            resource,
                            node.span(),
                            path,
                            format!("{} uses {:?} in {field}, which grants {what}", role.display(), v.text),
                            format!("list the {field} this role needs instead of {:?}", v.text),
                        ),
                        Meaning::Nothing => sink.report(
                            resource,
                            node.span(),
                            path,
                            format!(
                                "{} lists {:?} in {field}, which grants nothing: RBAC compares it literally, as {}",
                                role.display(),
                                v.text,
                                if field == "resources" {
                                    "only `*` and `*/<subresource>` are wildcards"
                                } else {
                                    "only `*` alone is a wildcard"
                                }
                            ),
                            match (field, v.text.split_once('/')) {
                                ("resources", Some((base, _))) if base != "*" => format!(
                                    "name the subresources ({base}/exec, {base}/log, …), or write {base:?} for the resource itself"
                                ),
                                _ => format!("write the {field} this role needs, or `*` if it really needs every one"),
                            },
                        ),
                    };
                }
            }
        }
    }
}
