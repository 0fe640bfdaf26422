//! One rule of a Role or ClusterRole and how the RBAC authorizer matches requests against it
//! (k8s.io/kubernetes `pkg/apis/rbac/v1/evaluation_helpers.go`): a verb matches `*` or itself; an
//! API group matches `*` or itself (`""` is the core group); a resource matches `*`, itself
//! (`pods/exec` for a subresource), or `*/exec` for any resource's subresource; `resourceNames`
//! narrows a rule to named objects. Any other `*` is compared literally.

use crate::source::NodeRef;

/// A value of a rule's list, with its node when it comes from the input.
#[derive(Clone, Copy, Debug)]
pub struct Val<'s> {
    pub text: &'s str,
    pub node: Option<NodeRef<'s>>,
}

/// One `rules[i]` entry.
#[derive(Clone, Debug)]
pub struct PolicyRule<'s> {
    pub node: NodeRef<'s>,
    /// Path from the document root, such as `rules[2]`.
    pub path: String,
    pub verbs: Vec<Val<'s>>,
    pub api_groups: Vec<Val<'s>>,
    pub resources: Vec<Val<'s>>,
    pub resource_names: Vec<Val<'s>>,
    pub non_resource_urls: Vec<Val<'s>>,
}

/// The values of a rule that allowed a request.
#[derive(Clone, Copy, Debug)]
pub struct Hit<'s> {
    pub verb: Val<'s>,
    pub group: Val<'s>,
    pub resource: Val<'s>,
}

/// A request as the authorizer sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Request {
    pub verb: &'static str,
    pub group: &'static str,
    /// `pods` or `pods/exec`.
    pub resource: &'static str,
}

impl<'s> PolicyRule<'s> {
    pub(super) fn read(node: NodeRef<'s>, path: String) -> Self {
        let list = |key: &str| -> Vec<Val<'s>> {
            node.field(key)
                .map(|l| l.items().filter_map(|v| v.str().map(|text| Val { text, node: Some(v) })).collect())
                .unwrap_or_default()
        };
        PolicyRule {
            node,
            path,
            verbs: list("verbs"),
            api_groups: list("apiGroups"),
            resources: list("resources"),
            resource_names: list("resourceNames"),
            non_resource_urls: list("nonResourceURLs"),
        }
    }

    /// Whether the rule allows a request, and through which values. `named` says whether the
    /// request names one object (a `get`, or a subresource of a named object): a rule with
    /// `resourceNames` only allows named requests (for one of its names).
    pub fn allows(&self, request: Request, named: bool) -> Option<Hit<'s>> {
        if !self.resource_names.is_empty() && !named {
            return None;
        }
        let verb = self.verbs.iter().find(|v| v.text == "*" || v.text == request.verb)?;
        let group = self.api_groups.iter().find(|g| g.text == "*" || g.text == request.group)?;
        let resource = self.resources.iter().find(|r| resource_matches(r.text, request.resource))?;
        Some(Hit { verb: *verb, group: *group, resource: *resource })
    }

    /// A resource rule that can match no request: no verb, API group or resource the authorizer
    /// can match (an empty list, or only values such as `pods/*` that are no wildcards).
    pub fn grants_nothing(&self) -> bool {
        self.non_resource_urls.is_empty()
            && (!self.verbs.iter().any(|v| is_wildcard_or_literal(v.text))
                || !self.api_groups.iter().any(|g| is_wildcard_or_literal(g.text))
                || !self.resources.iter().any(|r| is_resource_pattern(r.text)))
    }

    /// `*` on verbs, API groups and resources: everything the API serves.
    pub fn is_full_wildcard(&self) -> bool {
        let star = |l: &[Val<'_>]| l.iter().any(|v| v.text == "*");
        star(&self.verbs) && star(&self.api_groups) && star(&self.resources) && self.resource_names.is_empty()
    }

    /// The names the rule is limited to, for messages (`" (only foo, bar)"`).
    pub fn names_note(&self) -> String {
        if self.resource_names.is_empty() {
            String::new()
        } else {
            let names: Vec<String> = self.resource_names.iter().map(|n| format!("{:?}", n.text)).collect();
            format!(" (only {})", names.join(", "))
        }
    }
}

/// The authorizer's resource match.
pub fn resource_matches(rule: &str, requested: &str) -> bool {
    if rule == "*" || rule == requested {
        return true;
    }
    match (rule.strip_prefix("*/"), requested.split_once('/')) {
        (Some(rule_sub), Some((_, sub))) => rule_sub == sub,
        _ => false,
    }
}

/// Whether a rule grants only API discovery and self-review (what `system:discovery`,
/// `system:basic-user` and `system:public-info-viewer` grant every authenticated user).
pub fn is_discovery_only(rule: &PolicyRule<'_>) -> bool {
    // Values with a `*` that is no wildcard match nothing: they neither grant nor disqualify.
    let verbs = || rule.verbs.iter().filter(|v| is_wildcard_or_literal(v.text));
    let get_only = verbs().all(|v| matches!(v.text, "get" | "head"));
    if !rule.non_resource_urls.is_empty() {
        return rule.resources.is_empty()
            && get_only
            && rule.non_resource_urls.iter().all(|u| {
                let u = u.text.trim_end_matches(['/', '*']);
                matches!(
                    u,
                    "/api" | "/apis" | "/healthz" | "/livez" | "/readyz" | "/version" | "/openapi" | "/openid/v1/jwks"
                ) || u.starts_with("/.well-known/openid-configuration")
            });
    }
    if rule.grants_nothing() {
        return true;
    }
    verbs().all(|v| v.text == "create")
        && rule
            .api_groups
            .iter()
            .filter(|g| is_wildcard_or_literal(g.text))
            .all(|g| matches!(g.text, "authorization.k8s.io" | "authentication.k8s.io"))
        && rule
            .resources
            .iter()
            .filter(|r| is_resource_pattern(r.text))
            .all(|r| matches!(r.text, "selfsubjectaccessreviews" | "selfsubjectrulesreviews" | "selfsubjectreviews"))
}

/// A verb or API group the authorizer can match: `*` itself, or a name without `*` (anything
/// else, such as `get*`, is compared literally and matches no request).
pub fn is_wildcard_or_literal(text: &str) -> bool {
    text == "*" || !text.contains('*')
}

/// A resource the authorizer can match: `*`, `*/<subresource>`, or a name without `*`
/// (`pods/*` and `*/*` match nothing).
pub fn is_resource_pattern(text: &str) -> bool {
    match text.strip_prefix("*/") {
        Some(sub) => !sub.is_empty() && !sub.contains('*'),
        None => is_wildcard_or_literal(text),
    }
}
