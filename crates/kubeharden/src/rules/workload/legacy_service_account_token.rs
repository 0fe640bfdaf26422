//! `legacy-service-account-token`: a Secret that holds a long-lived ServiceAccount token.

use crate::model::Resource;
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub const TOKEN_TYPE: &str = "kubernetes.io/service-account-token";

pub static RULE: Rule = Rule {
    id: "legacy-service-account-token",
    family: Family::Workload,
    severity: Severity::Warning,
    tier: Tier::Hardened,
    summary: "A Secret of type kubernetes.io/service-account-token asks for a long-lived ServiceAccount token that never expires.",
    docs: docs! {
        what: "Reports Secrets of type `kubernetes.io/service-account-token`, at the `type` value, naming the \
               ServiceAccount from the `kubernetes.io/service-account.name` annotation.",
        why: "The token controller fills such a Secret with a token that does not expire and is not bound \
              to a pod: anyone who reads the Secret once (a backup, a `get secrets` permission, a leaked \
              manifest) can use the account until the Secret is deleted. Since Kubernetes 1.24 pods get \
              short-lived, audience-bound tokens through the TokenRequest API, and 1.29 started cleaning \
              up unused legacy tokens. The Kubernetes documentation and the NSA/CISA hardening guide \
              recommend short-lived tokens.",
        fail: r#"apiVersion: v1
kind: Secret
metadata:
  name: ci-token
  annotations:
    kubernetes.io/service-account.name: ci
type: kubernetes.io/service-account-token
"#,
        pass: r#"apiVersion: v1
kind: ServiceAccount
metadata:
  name: ci
automountServiceAccountToken: false
"#,
        fix: "Delete the Secret. Inside the cluster, use the projected token a pod receives (or a \
              `serviceAccountToken` projected volume with an `expirationSeconds`); outside, request a \
              short-lived token with `kubectl create token` or the TokenRequest API.",
        references: &[
            "https://kubernetes.io/docs/concepts/security/service-accounts/#get-a-token",
            "https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/#legacy-serviceaccount-token-cleaner",
            "https://kubernetes.io/docs/concepts/configuration/secret/#serviceaccount-token-secrets",
        ],
    },
    aliases: &[],
    pss: None,
    checks: &[Versioned::always(Check::Resource(check))],
    fix: None,
};

fn check(_cx: &Cx<'_, '_>, resource: &Resource<'_>, sink: &mut Sink) {
    if !resource.is("", "Secret") {
        return;
    }
    let Some(value) = resource.node.field("type") else { return };
    if value.str() != Some(TOKEN_TYPE) {
        return;
    }
    let account = match resource.annotation("kubernetes.io/service-account.name") {
        Some(name) => format!("ServiceAccount {name:?}"),
        None => "a ServiceAccount".to_owned(),
    };
    sink.report(
        resource,
        value.span(),
        resource.path("type"),
        format!("legacy ServiceAccount token: Secret {:?} holds a non-expiring token for {account}", resource.name()),
        "delete the Secret; use projected tokens in pods and `kubectl create token` (TokenRequest) elsewhere",
    );
}
