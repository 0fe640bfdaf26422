//! The RBAC graph of the input: Roles and ClusterRoles with their rules, ClusterRole
//! aggregation, RoleBindings and ClusterRoleBindings with their subjects, and the default
//! ClusterRoles every cluster has (`cluster-admin`, `admin`, `edit`, `view` and a few `system:`
//! roles) for bindings that reference them without defining them.
//!
//! Rule matching follows the RBAC authorizer ([`rules`]); the objects Kubernetes ships are in
//! [`bootstrap`].

mod bootstrap;
mod rules;

use std::collections::{BTreeMap, BTreeSet};

use bootstrap::builtin_source;
pub use bootstrap::is_bootstrap_name;
pub use rules::{
    Hit, PolicyRule, Request, Val, is_discovery_only, is_resource_pattern, is_wildcard_or_literal, resource_matches,
};

use super::resource::{Resource, ResourceId};
use super::selector::{Absent, Labels, Selector, Tri};
use crate::source::NodeRef;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum RoleKind {
    Role,
    ClusterRole,
}

impl RoleKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RoleKind::Role => "Role",
            RoleKind::ClusterRole => "ClusterRole",
        }
    }
}

#[derive(Debug)]
pub struct Role<'s> {
    /// The resource in the input; `None` for a default role the input does not define.
    pub resource: Option<ResourceId>,
    pub kind: RoleKind,
    /// Namespace of a Role; empty for a ClusterRole.
    pub namespace: &'s str,
    pub name: &'s str,
    pub rules: Vec<PolicyRule<'s>>,
    /// `aggregationRule.clusterRoleSelectors` (empty when the role is not aggregated).
    pub aggregation: Vec<Selector<'s>>,
    pub labels: Labels<'s>,
    /// Shipped by Kubernetes (bootstrap policy): no findings on the role itself.
    pub shipped: bool,
}

impl Role<'_> {
    /// `ClusterRole "edit"`, `Role "reader"`.
    pub fn display(&self) -> String {
        match self.kind {
            RoleKind::ClusterRole => format!("ClusterRole {:?}", self.name),
            RoleKind::Role => format!("Role {:?}", self.name),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SubjectKind {
    User,
    Group,
    ServiceAccount,
    Other,
}

#[derive(Clone, Debug)]
pub struct Subject<'s> {
    pub kind: SubjectKind,
    pub name: &'s str,
    /// The ServiceAccount's namespace (defaulted to the binding's for a RoleBinding).
    pub namespace: &'s str,
    pub node: NodeRef<'s>,
    pub path: String,
}

impl Subject<'_> {
    /// The ServiceAccount this subject is, also when written as a `system:serviceaccount:` user.
    pub fn service_account(&self) -> Option<(&str, &str)> {
        match self.kind {
            SubjectKind::ServiceAccount => Some((self.namespace, self.name)),
            SubjectKind::User => self.name.strip_prefix("system:serviceaccount:").and_then(|r| r.split_once(':')),
            _ => None,
        }
    }

    /// Where a finding about the subject points: its name, else the subject.
    pub fn anchor(&self) -> NodeRef<'_> {
        self.node.get("name").unwrap_or(self.node)
    }

    /// `ServiceAccount shop/web`, `user "alice"`, `group "devs"`.
    pub fn display(&self) -> String {
        if let Some((ns, name)) = self.service_account() {
            return format!("ServiceAccount {ns}/{name}");
        }
        match self.kind {
            SubjectKind::User => format!("user {:?}", self.name),
            SubjectKind::Group => format!("group {:?}", self.name),
            _ => format!("subject {:?}", self.name),
        }
    }
}

#[derive(Debug)]
pub struct Binding<'s> {
    pub resource: ResourceId,
    /// A ClusterRoleBinding (grants in every namespace).
    pub cluster: bool,
    pub namespace: &'s str,
    pub name: &'s str,
    pub role_kind: &'s str,
    pub role_name: &'s str,
    /// The `roleRef.name` value (else `roleRef`, else the object), where binding findings point.
    pub role_anchor: NodeRef<'s>,
    pub role_anchor_path: String,
    pub subjects: Vec<Subject<'s>>,
    pub shipped: bool,
}

impl Binding<'_> {
    /// `cluster-wide` or `in namespace shop`.
    pub fn scope(&self) -> String {
        if self.cluster { "cluster-wide".to_owned() } else { format!("in namespace {}", self.namespace) }
    }

    /// The subjects for messages: `ServiceAccount shop/web and group "devs"`.
    pub fn subjects_display(&self) -> String {
        let names: Vec<String> = self.subjects.iter().map(Subject::display).collect();
        match names.as_slice() {
            [] => "no subject".to_owned(),
            [one] => one.clone(),
            [init @ .., last] => format!("{} and {last}", init.join(", ")),
        }
    }
}

/// The RBAC objects of the input, resolved.
#[derive(Debug, Default)]
pub struct Rbac<'s> {
    pub roles: Vec<Role<'s>>,
    pub bindings: Vec<Binding<'s>>,
    by_name: BTreeMap<(RoleKind, &'s str, &'s str), usize>,
    /// For each role, the roles whose rules it holds: itself, then aggregated sources.
    sources: Vec<Vec<usize>>,
}

/// A rule in force for a role, and the role it comes from (itself or an aggregated source).
#[derive(Clone, Copy, Debug)]
pub struct Effective<'r, 's> {
    pub origin: &'r Role<'s>,
    pub rule: &'r PolicyRule<'s>,
}

impl<'s> Rbac<'s> {
    pub fn build(resources: &[Resource<'s>]) -> Self {
        let mut rbac = Rbac::default();
        for r in resources.iter().filter(|r| r.group() == "rbac.authorization.k8s.io") {
            match r.kind() {
                "Role" | "ClusterRole" => {
                    let kind = if r.kind() == "Role" { RoleKind::Role } else { RoleKind::ClusterRole };
                    let role = read_role(r.node, Some(r), kind);
                    rbac.add_role(role);
                }
                "RoleBinding" | "ClusterRoleBinding" => rbac.bindings.push(read_binding(r)),
                _ => {}
            }
        }
        // Default roles the input references or aggregates into, unless it defines them. Only
        // bindings and roles of the input reach them: an input without any (most inputs: a
        // first lint of one Deployment) does not pay for parsing them.
        let builtin = if rbac.roles.is_empty() && rbac.bindings.is_empty() { None } else { builtin_source() };
        if let Some(builtin) = builtin {
            for doc in &builtin.documents {
                let node = builtin.tree.node(doc.root);
                let role = read_role(node, None, RoleKind::ClusterRole);
                if !rbac.by_name.contains_key(&(RoleKind::ClusterRole, "", role.name)) {
                    rbac.add_role(role);
                }
            }
        }
        rbac.sources = rbac.aggregate_all();
        rbac
    }

    fn add_role(&mut self, role: Role<'s>) {
        let key = (role.kind, role.namespace, role.name);
        if !self.by_name.contains_key(&key) {
            self.by_name.insert(key, self.roles.len());
        }
        self.roles.push(role);
    }

    /// For each role, the roles whose rules it holds: itself and, for an aggregated ClusterRole,
    /// every ClusterRole its selectors match (transitively, as the aggregation controller
    /// converges). Hostile inputs (thousands of roles aggregating each other) are bounded by a
    /// work budget: past it, roles keep their own rules only.
    fn aggregate_all(&self) -> Vec<Vec<usize>> {
        const BUDGET: usize = 2_000_000;
        let mut work = 0usize;
        // Direct edges: aggregated role -> the ClusterRoles its selectors match.
        let candidates: Vec<usize> = self
            .roles
            .iter()
            .enumerate()
            .filter(|(j, r)| {
                r.kind == RoleKind::ClusterRole && self.by_name.get(&(RoleKind::ClusterRole, "", r.name)) == Some(j)
            })
            .map(|(j, _)| j)
            .collect();
        let mut direct: Vec<Vec<usize>> = vec![Vec::new(); self.roles.len()];
        for (i, role) in self.roles.iter().enumerate() {
            if role.aggregation.is_empty() {
                continue;
            }
            for &j in &candidates {
                work += role.aggregation.len();
                if work > BUDGET {
                    break;
                }
                let matched = self.roles.get(j).is_some_and(|other| {
                    j != i && role.aggregation.iter().any(|s| s.matches(&other.labels) == Tri::Yes)
                });
                if matched && let Some(edges) = direct.get_mut(i) {
                    edges.push(j);
                }
            }
        }
        (0..self.roles.len())
            .map(|i| {
                let mut out = vec![i];
                let mut seen = BTreeSet::from([i]);
                let mut queue = vec![i];
                while let Some(current) = queue.pop() {
                    for &j in direct.get(current).map(Vec::as_slice).unwrap_or(&[]) {
                        work += 1;
                        if work > BUDGET {
                            return out;
                        }
                        if seen.insert(j) {
                            out.push(j);
                            queue.push(j);
                        }
                    }
                }
                out
            })
            .collect()
    }

    pub fn role(&self, kind: RoleKind, namespace: &str, name: &str) -> Option<&Role<'s>> {
        self.by_name.get(&(kind, namespace, name)).and_then(|&i| self.roles.get(i))
    }

    /// The role a binding references, if the input defines it or it is a default role.
    pub fn bound_role(&self, binding: &Binding<'s>) -> Option<&Role<'s>> {
        match binding.role_kind {
            "ClusterRole" => self.role(RoleKind::ClusterRole, "", binding.role_name),
            "Role" if !binding.cluster => self.role(RoleKind::Role, binding.namespace, binding.role_name),
            _ => None,
        }
    }

    /// Every rule in force for a role: its own, then those of the ClusterRoles it aggregates.
    pub fn effective<'r>(&'r self, role: &'r Role<'s>) -> Vec<Effective<'r, 's>> {
        let index = self.by_name.get(&(role.kind, role.namespace, role.name)).copied();
        let sources = index.and_then(|i| self.sources.get(i)).map(Vec::as_slice).unwrap_or(&[]);
        let mut out = Vec::new();
        for origin in sources.iter().filter_map(|&i| self.roles.get(i)) {
            for rule in &origin.rules {
                out.push(Effective { origin, rule });
            }
        }
        out
    }

    /// Roles of the input that findings may be reported on (not shipped by Kubernetes).
    pub fn input_roles(&self) -> impl Iterator<Item = &Role<'s>> {
        self.roles.iter().filter(|r| r.resource.is_some() && !r.shipped)
    }

    /// Bindings of the input that findings may be reported on (not shipped by Kubernetes).
    pub fn input_bindings(&self) -> impl Iterator<Item = &Binding<'s>> {
        self.bindings.iter().filter(|b| !b.shipped)
    }
}

fn labels_of(node: NodeRef<'_>) -> Labels<'_> {
    Labels { map: node.at(&["metadata", "labels"]), ..Labels::default() }
}

fn read_role<'s>(node: NodeRef<'s>, resource: Option<&Resource<'s>>, kind: RoleKind) -> Role<'s> {
    let name = node.at(&["metadata", "name"]).and_then(|n| n.str()).unwrap_or("");
    let labels = labels_of(node);
    let rules = node
        .field("rules")
        .map(|l| {
            l.items()
                .enumerate()
                .filter(|(_, r)| r.is_map())
                .map(|(i, r)| {
                    let rel = format!("rules[{i}]");
                    PolicyRule::read(r, resource.map_or(rel.clone(), |res| res.path(&rel)))
                })
                .collect()
        })
        .unwrap_or_default();
    let aggregation = match (kind, node.at(&["aggregationRule", "clusterRoleSelectors"])) {
        (RoleKind::ClusterRole, Some(list)) => {
            list.items().map(|s| Selector::parse(Some(s), Absent::Nothing).0).collect()
        }
        _ => Vec::new(),
    };
    let shipped = resource.is_none()
        || labels.map.and_then(|m| m.field("kubernetes.io/bootstrapping")).and_then(|v| v.str())
            == Some("rbac-defaults")
        || (kind == RoleKind::ClusterRole && is_bootstrap_name(name));
    Role {
        resource: resource.map(|r| r.id),
        kind,
        namespace: resource.and_then(|r| r.namespace).filter(|_| kind == RoleKind::Role).unwrap_or(""),
        name,
        rules,
        aggregation,
        labels,
        shipped,
    }
}

fn read_binding<'s>(r: &Resource<'s>) -> Binding<'s> {
    let cluster = r.kind() == "ClusterRoleBinding";
    let namespace = if cluster { "" } else { r.namespace() };
    let name = r.name();
    let role_ref = r.node.field("roleRef");
    let role_kind = role_ref.and_then(|x| x.field("kind")).and_then(|k| k.str()).unwrap_or("");
    let role_name = role_ref.and_then(|x| x.field("name")).and_then(|n| n.str()).unwrap_or("");
    let (role_anchor, role_anchor_path) = match (role_ref.and_then(|x| x.get("name")), r.node.entry("roleRef")) {
        (Some(n), _) => (n, r.path("roleRef.name")),
        (None, Some((k, _))) => (k, r.path("roleRef")),
        (None, None) => (r.node.entries().next().map_or(r.node, |(k, _)| k), r.path("roleRef")),
    };
    let subjects = r
        .node
        .field("subjects")
        .map(|l| {
            l.items()
                .enumerate()
                .filter(|(_, s)| s.is_map())
                .map(|(i, s)| {
                    let kind = match s.field("kind").and_then(|k| k.str()) {
                        Some("User") => SubjectKind::User,
                        Some("Group") => SubjectKind::Group,
                        Some("ServiceAccount") => SubjectKind::ServiceAccount,
                        _ => SubjectKind::Other,
                    };
                    let written_ns = s.field("namespace").and_then(|n| n.str()).filter(|n| !n.is_empty());
                    Subject {
                        kind,
                        name: s.field("name").and_then(|n| n.str()).unwrap_or(""),
                        namespace: written_ns.unwrap_or(namespace),
                        node: s,
                        path: r.path(&format!("subjects[{i}]")),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let bootstrap_label = r.label("kubernetes.io/bootstrapping") == Some("rbac-defaults");
    let shipped = bootstrap_label
        || (cluster && is_bootstrap_name(name) && role_kind == "ClusterRole" && is_bootstrap_name(role_name));
    Binding {
        resource: r.id,
        cluster,
        namespace,
        name,
        role_kind,
        role_name,
        role_anchor,
        role_anchor_path,
        subjects,
        shipped,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Model;
    use crate::source::{Limits, ParsedSource, Source, parse};

    fn model_of(text: &str) -> Vec<ParsedSource> {
        vec![parse(&Source::new("t.yaml", text), &Limits::default())]
    }

    #[test]
    fn resource_matching_follows_the_authorizer() {
        assert!(resource_matches("*", "pods/exec"));
        assert!(resource_matches("pods/exec", "pods/exec"));
        assert!(resource_matches("*/exec", "pods/exec"));
        assert!(!resource_matches("*/exec", "pods"));
        assert!(!resource_matches("pods/*", "pods/exec"));
        assert!(!resource_matches("pods", "pods/exec"));
        assert!(!resource_matches("*/scale", "deployments/exec"));
    }

    #[test]
    fn builtin_roles_parse_and_aggregate() {
        // Any RBAC object brings in the default roles (a binding could reference them).
        let sources = model_of(
            "kind: RoleBinding\napiVersion: rbac.authorization.k8s.io/v1\nmetadata: {name: b, namespace: a}\nroleRef: {kind: ClusterRole, name: admin}\n",
        );
        let model = Model::build(&sources);
        let rbac = model.rbac();
        let admin = rbac.role(RoleKind::ClusterRole, "", "admin").unwrap();
        let rules = rbac.effective(admin);
        let secrets = Request { verb: "list", group: "", resource: "secrets" };
        assert!(rules.iter().any(|e| e.rule.allows(secrets, false).is_some()));
        let view = rbac.role(RoleKind::ClusterRole, "", "view").unwrap();
        assert!(!rbac.effective(view).iter().any(|e| e.rule.allows(secrets, false).is_some()));
        assert!(admin.shipped && admin.resource.is_none());
    }

    #[test]
    fn input_aggregation_and_overrides() {
        let text = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: agg}\naggregationRule:\n  clusterRoleSelectors:\n  - matchLabels: {team: a}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: part, labels: {team: a}}\nrules:\n- {apiGroups: [''], resources: [secrets], verbs: [get]}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: view}\nrules: []\n";
        let sources = model_of(text);
        let model = Model::build(&sources);
        let rbac = model.rbac();
        let agg = rbac.role(RoleKind::ClusterRole, "", "agg").unwrap();
        let eff = rbac.effective(agg);
        assert_eq!(eff.len(), 1);
        assert_eq!(eff[0].origin.name, "part");
        // The input's `view` replaces the default one.
        let view = rbac.role(RoleKind::ClusterRole, "", "view").unwrap();
        assert!(view.resource.is_some() && !view.shipped);
    }

    #[test]
    fn resource_names_limit_unnamed_requests() {
        let text = "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r, namespace: a}\nrules:\n- {apiGroups: [''], resources: [secrets], verbs: [get, list], resourceNames: [one]}\n";
        let sources = model_of(text);
        let model = Model::build(&sources);
        let role = model.rbac().role(RoleKind::Role, "a", "r").unwrap();
        let rule = &role.rules[0];
        assert!(rule.allows(Request { verb: "get", group: "", resource: "secrets" }, false).is_none());
        assert!(rule.allows(Request { verb: "get", group: "", resource: "secrets" }, true).is_some());
        assert_eq!(rule.names_note(), " (only \"one\")");
    }

    #[test]
    fn service_account_subjects_default_to_the_binding_namespace() {
        let text = "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b, namespace: shop}\nroleRef: {kind: ClusterRole, name: view, apiGroup: rbac.authorization.k8s.io}\nsubjects:\n- {kind: ServiceAccount, name: web}\n- {kind: User, name: 'system:serviceaccount:other:api'}\n- {kind: Group, name: devs}\n";
        let sources = model_of(text);
        let model = Model::build(&sources);
        let b = &model.rbac().bindings[0];
        assert_eq!(b.subjects[0].service_account(), Some(("shop", "web")));
        assert_eq!(b.subjects[1].service_account(), Some(("other", "api")));
        assert_eq!(b.subjects_display(), "ServiceAccount shop/web, ServiceAccount other/api and group \"devs\"");
        assert_eq!(model.rbac().bound_role(b).map(|r| r.name), Some("view"));
    }
}
