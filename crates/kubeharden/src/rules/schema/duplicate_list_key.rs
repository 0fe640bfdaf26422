//! `duplicate-list-key`: two items of a keyed list with the same key.

use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};
use crate::schema::{self, ProblemKind};

pub static RULE: Rule = Rule {
    id: "duplicate-list-key",
    family: Family::Schema,
    severity: Severity::Error,
    tier: Tier::Always,
    summary: "Two items of a keyed list share their key: two containers named `app`, two ports with the same number and protocol.",
    docs: docs! {
        what: "Lists whose items the API identifies by keys (`x-kubernetes-list-type: map`: containers and \
               volumes by `name`, container ports by `containerPort` and `protocol`, Service ports by `port` and \
               `protocol`, env vars by `name`) must not repeat a key, and sets (`x-kubernetes-list-type: set`) \
               must not repeat a value. A missing `protocol` counts as `TCP`, as defaulting makes it. The \
               `status` of a built-in kind is not checked: the API server resets it before validation.",
        why: "The API server rejects repeated container and volume names and Service ports; for the other \
              lists, server-side apply (`kubectl apply --server-side`, Flux, Argo CD with server-side apply) \
              fails with `duplicate entries for key`, and client-side apply merges the items by key so one of \
              them silently disappears.",
        fail: r#"apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx:1.27
  - name: app
    image: busybox:1.36
"#,
        pass: r#"apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx:1.27
  - name: sidecar
    image: busybox:1.36
"#,
        fix: "Give each item its own key, or merge the two items.",
        references: &[
            "https://kubernetes.io/docs/reference/using-api/server-side-apply/#merge-strategy",
            "https://kubernetes.io/docs/reference/kubernetes-api/",
        ],
    },
    aliases: &[],
    pss: None,
    checks: &[Versioned::since(super::SINCE, Check::Global(check))],
    fix: None,
};

fn check(cx: &Cx<'_, '_>, sink: &mut Sink) {
    schema::report(cx, sink, ProblemKind::DuplicateListKey);
}
