//! Rules of the `rbac` family, and what they share: finding which rules of a role grant a
//! permission, and reporting it on the role (at the value that grants it) and on each binding
//! that hands it to subjects (at `roleRef.name`, naming the subjects).
//!
//! Roles and ClusterRoles shipped by Kubernetes (the bootstrap policy: `system:*`, and any role
//! labelled `kubernetes.io/bootstrapping: rbac-defaults`) and the bindings Kubernetes ships are
//! never reported: they are the platform, not the manifest under review.

pub mod rbac_anonymous_subject;
pub mod rbac_authenticated_subject;
pub mod rbac_cluster_admin_binding;
pub mod rbac_csr_approval;
pub mod rbac_default_service_account_binding;
pub mod rbac_escalation_verbs;
pub mod rbac_node_proxy;
pub mod rbac_pod_exec;
pub mod rbac_secrets_access;
pub mod rbac_token_request;
pub mod rbac_webhook_config;
pub mod rbac_wildcard;
pub mod rbac_workload_create;

use std::collections::BTreeMap;

use super::{Cx, Rule, Sink};
use crate::model::rbac::{Binding, Hit, PolicyRule, Rbac, Request, Role, RoleKind, Val};
use crate::source::ByteSpan;

pub static RULES: &[&Rule] = &[
    &rbac_wildcard::RULE,
    &rbac_cluster_admin_binding::RULE,
    &rbac_anonymous_subject::RULE,
    &rbac_authenticated_subject::RULE,
    &rbac_escalation_verbs::RULE,
    &rbac_secrets_access::RULE,
    &rbac_pod_exec::RULE,
    &rbac_workload_create::RULE,
    &rbac_node_proxy::RULE,
    &rbac_token_request::RULE,
    &rbac_csr_approval::RULE,
    &rbac_webhook_config::RULE,
    &rbac_default_service_account_binding::RULE,
];

/// One request a permission is made of.
#[derive(Clone, Copy, Debug)]
pub struct Ask {
    pub request: Request,
    /// The request names one object, so a rule's `resourceNames` still grants it (for those
    /// names). `false` for collection requests and for `get` where the rule wants any object.
    pub named: bool,
    /// The resource is cluster-scoped: a Role or a RoleBinding cannot grant it.
    pub cluster_scoped: bool,
}

pub const fn ask(verb: &'static str, group: &'static str, resource: &'static str) -> Ask {
    Ask { request: Request { verb, group, resource }, named: false, cluster_scoped: false }
}

impl Ask {
    pub const fn named(mut self) -> Self {
        self.named = true;
        self
    }

    pub const fn cluster(mut self) -> Self {
        self.cluster_scoped = true;
        self
    }
}

/// A dangerous permission: every group of asks must be granted (most have one group).
#[derive(Debug)]
pub struct Permission {
    pub groups: &'static [&'static [Ask]],
    /// Findings on a role point at the verb (escalation verbs) rather than the resource.
    pub at_verb: bool,
    /// What the holder can do, ending the message: `"the holder can read every Secret"`.
    pub consequence: &'static str,
    pub help: &'static str,
}

/// A grant: an ask allowed by a rule.
#[derive(Clone, Copy, Debug)]
pub struct Grant<'r, 's> {
    pub ask: &'static Ask,
    pub rule: &'r PolicyRule<'s>,
    pub hit: Hit<'s>,
    pub origin: &'r Role<'s>,
}

/// The grants of a permission among rules, or nothing when one of its groups is missing.
/// `namespaced` leaves out cluster-scoped asks (a Role, or a RoleBinding).
pub fn grants<'r, 's>(
    perm: &Permission,
    rules: &[(&'r Role<'s>, &'r PolicyRule<'s>)],
    namespaced: bool,
) -> Vec<Grant<'r, 's>> {
    let mut out = Vec::new();
    for group in perm.groups {
        let before = out.len();
        for ask in group.iter().filter(|a| !(namespaced && a.cluster_scoped)) {
            for (origin, rule) in rules {
                if let Some(hit) = rule.allows(ask.request, ask.named) {
                    out.push(Grant { ask, rule, hit, origin });
                }
            }
        }
        if out.len() == before {
            return Vec::new();
        }
    }
    out
}

/// `get, list, watch on secrets` for a set of grants (verbs and resources in request terms).
pub fn describe(grants: &[Grant<'_, '_>]) -> String {
    let mut by_resource: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for g in grants {
        let verbs = by_resource.entry(g.ask.request.resource).or_default();
        if !verbs.contains(&g.ask.request.verb) {
            verbs.push(g.ask.request.verb);
        }
    }
    // Resources granted the same verbs read together: `create on pods, deployments`.
    let mut by_verbs: Vec<(String, Vec<&str>)> = Vec::new();
    for (resource, verbs) in by_resource {
        let key = verbs.join(", ");
        match by_verbs.iter_mut().find(|(k, _)| *k == key) {
            Some((_, resources)) => resources.push(resource),
            None => by_verbs.push((key, vec![resource])),
        }
    }
    by_verbs
        .iter()
        .map(|(verbs, resources)| format!("{verbs} on {}", resources.join(", ")))
        .collect::<Vec<_>>()
        .join("; ")
}

/// ` (through "*" in verbs, resources)` when wildcards grant it.
fn wildcard_note(grants: &[Grant<'_, '_>]) -> String {
    let mut fields = Vec::new();
    let wild = |v: &Val<'_>| v.text.contains('*');
    if grants.iter().any(|g| wild(&g.hit.verb)) {
        fields.push("verbs");
    }
    if grants.iter().any(|g| wild(&g.hit.group)) {
        fields.push("apiGroups");
    }
    if grants.iter().any(|g| wild(&g.hit.resource)) {
        fields.push("resources");
    }
    if fields.is_empty() { String::new() } else { format!(" (through `*` in {})", fields.join(", ")) }
}

fn names_note(grants: &[Grant<'_, '_>]) -> String {
    grants.iter().map(|g| g.rule.names_note()).find(|n| !n.is_empty()).unwrap_or_default()
}

/// Reports a permission on every role of the input that grants it and every binding that
/// hands it out.
pub fn report_permission(cx: &Cx<'_, '_>, sink: &mut Sink, perm: &Permission) {
    let rbac = cx.model.rbac();
    report_on_roles(cx, sink, perm, rbac);
    report_on_bindings(cx, sink, perm, rbac);
}

fn report_on_roles(cx: &Cx<'_, '_>, sink: &mut Sink, perm: &Permission, rbac: &Rbac<'_>) {
    for role in rbac.input_roles() {
        let Some(resource) = role.resource.and_then(|id| cx.model.resource(id)) else { continue };
        let rules: Vec<_> = role.rules.iter().map(|r| (role, r)).collect();
        let found = grants(perm, &rules, role.kind == RoleKind::Role);
        // One finding per value that grants it (first group only: the one the rule is about).
        let first_group: Vec<&Grant<'_, '_>> = found
            .iter()
            .filter(|g| perm.groups.first().is_some_and(|grp| grp.iter().any(|a| std::ptr::eq(a, g.ask))))
            .collect();
        let mut by_anchor: BTreeMap<(ByteSpan, String), Vec<Grant<'_, '_>>> = BTreeMap::new();
        for g in first_group {
            let (val, field) = if perm.at_verb { (g.hit.verb, "verbs") } else { (g.hit.resource, "resources") };
            let Some(node) = val.node else { continue };
            let index = match field {
                "verbs" => g.rule.verbs.iter().position(|v| v.node.map(|n| n.span()) == Some(node.span())),
                _ => g.rule.resources.iter().position(|v| v.node.map(|n| n.span()) == Some(node.span())),
            }
            .unwrap_or(0);
            by_anchor.entry((node.span(), format!("{}.{field}[{index}]", g.rule.path))).or_default().push(*g);
        }
        for ((span, path), hits) in by_anchor {
            sink.report(
                resource,
                span,
                path,
                format!(
                    "{} grants {}{}{}: {}",
                    role.display(),
                    describe(&hits),
                    names_note(&hits),
                    wildcard_note(&hits),
                    perm.consequence
                ),
                perm.help,
            );
        }
    }
}

fn report_on_bindings(cx: &Cx<'_, '_>, sink: &mut Sink, perm: &Permission, rbac: &Rbac<'_>) {
    // What each role grants, computed once per role and scope however many bindings use it.
    let mut memo: BTreeMap<(*const Role<'_>, bool), Vec<Grant<'_, '_>>> = BTreeMap::new();
    for binding in rbac.input_bindings() {
        let Some(resource) = cx.model.resource(binding.resource) else { continue };
        let Some(role) = rbac.bound_role(binding) else { continue };
        if binding.subjects.is_empty() {
            continue;
        }
        let found = memo
            .entry((std::ptr::from_ref(role), binding.cluster))
            .or_insert_with(|| {
                let rules: Vec<_> = rbac.effective(role).into_iter().map(|e| (e.origin, e.rule)).collect();
                grants(perm, &rules, !binding.cluster)
            })
            .clone();
        if found.is_empty() {
            continue;
        }
        sink.report(
            resource,
            binding.role_anchor.span(),
            binding.role_anchor_path.clone(),
            format!(
                "{} can {}{} {} through {}{}: {}",
                binding.subjects_display(),
                describe(&found).replace(" on ", " "),
                names_note(&found),
                binding.scope(),
                role.display(),
                aggregated_note(role, &found),
                perm.consequence
            ),
            perm.help,
        );
    }
}

/// ` (aggregated from ClusterRole "x")` when the rules come from aggregated roles.
pub fn aggregated_note(role: &Role<'_>, found: &[Grant<'_, '_>]) -> String {
    let mut origins: Vec<String> = Vec::new();
    for g in found {
        if !std::ptr::eq(g.origin, role) {
            let d = g.origin.display();
            if !origins.contains(&d) {
                origins.push(d);
            }
        }
    }
    if origins.is_empty() { String::new() } else { format!(" (aggregated from {})", origins.join(", ")) }
}

/// Whether a binding's role grants only discovery (or is not known to grant more).
pub fn role_is_discovery_only(rbac: &Rbac<'_>, binding: &Binding<'_>) -> Option<bool> {
    let role = rbac.bound_role(binding)?;
    Some(rbac.effective(role).iter().all(|e| crate::model::rbac::is_discovery_only(e.rule)))
}

#[cfg(test)]
mod tests {
    use crate::{Config, lint_str};

    /// Entries with a `*` that is no wildcard (`pods/*`, `*/*`, `get*`, `apps*`) grant nothing:
    /// only `rbac-wildcard` reports them, as mistakes, and no rule counts them as a grant.
    #[test]
    fn literal_stars_grant_nothing() {
        let role = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: r}\nrules:\n- apiGroups: [\"\", \"apps*\"]\n  resources: [\"pods/*\", \"*/*\", \"secrets*\", \"nodes/*\", \"serviceaccounts/*\"]\n  verbs: [\"*\"]\n- apiGroups: [\"*\"]\n  resources: [\"pods\", \"secrets\"]\n  verbs: [\"get*\", \"create*\", \"escalate*\"]\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: b}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: r}\nsubjects:\n- {kind: Group, apiGroup: rbac.authorization.k8s.io, name: system:authenticated}\n";
        let report = lint_str("r.yaml", role, &Config::default());
        let rbac: Vec<(&str, &str)> = report
            .findings
            .iter()
            .filter(|f| f.rule.starts_with("rbac-"))
            .map(|f| (f.rule.as_str(), f.message.as_str()))
            .collect();
        let others: Vec<_> =
            rbac.iter().filter(|(r, m)| *r != "rbac-wildcard" || !m.contains("grants nothing")).collect();
        // The real `*` in verbs and apiGroups is still a wildcard; nothing else is granted.
        assert!(others.iter().all(|(r, m)| *r == "rbac-wildcard" && m.contains("uses \"*\"")), "{others:?}");
        assert_eq!(others.len(), 2, "{others:?}");
        assert_eq!(rbac.len() - others.len(), 9, "{rbac:?}");
    }
}
