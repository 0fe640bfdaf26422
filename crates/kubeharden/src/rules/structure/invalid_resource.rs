//! `invalid-resource`: an object the API server would reject before any policy runs.

use crate::model::Resource;
use crate::model::resource::is_config_object;
use crate::model::schema::{self, TypeError};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};
use crate::source::ByteSpan;

pub static RULE: Rule = Rule {
    id: "invalid-resource",
    family: Family::Structure,
    severity: Severity::Error,
    tier: Tier::Always,
    summary: "An object lacks apiVersion, kind or metadata.name, or (without schema validation) has a value of the wrong type at a field the rules read.",
    docs: docs! {
        what: "Reports documents that are not objects, objects without `apiVersion`, `kind` or \
               `metadata.name` (or `generateName`), and values whose type the API server refuses at the \
               security-relevant fields kubeharden reads: a quoted `\"true\"` where a boolean is expected, \
               a quoted number where an integer is expected, a mapping where a list is expected, a list \
               where `resources.limits` or `resources.requests` needs a mapping. Where schema validation \
               checks the object (built-in kinds from v1.25, custom resources with their CRD), \
               `wrong-field-type` reports such values instead, once. Always: the rule the API server \
               enforces between a seccomp or AppArmor profile's fields, `localhostProfile` set exactly \
               when `type` is `Localhost`.",
        why: "The API server decodes YAML into typed objects: `privileged: \"true\"` is a decoding error, \
              not a privileged container. Guessing what such a value means would hide the real problem \
              (the object will not apply) or invent one, so kubeharden reports the type error itself and \
              reads the field as unset.",
        fail: r#"apiVersion: v1
kind: Pod
metadata:
  labels: {app: web}
spec:
  containers:
  - name: app
    image: nginx:1.27
    securityContext:
      runAsNonRoot: true
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
      runAsNonRoot: true
"#,
        fix: "Give the object its `apiVersion`, `kind` and `metadata.name`, and write booleans and integers \
              unquoted (`true`, `1000`).",
        references: &[
            "https://kubernetes.io/docs/concepts/overview/working-with-objects/#required-fields",
            "https://kubernetes.io/docs/reference/kubernetes-api/",
        ],
    },
    aliases: &[],
    pss: None,
    checks: &[Versioned::always(Check::Global(check))],
    fix: None,
};

fn check(cx: &Cx<'_, '_>, sink: &mut Sink) {
    for (index, source) in cx.model.sources.iter().enumerate() {
        for doc in &source.documents {
            let root = source.tree.node(doc.root);
            if !root.is_map() {
                let span = root.span();
                sink.report_document(
                    index,
                    doc.number,
                    ByteSpan { start: span.start, end: span.start.max(span.end.min(span.start + 1)) },
                    "",
                    format!("document is {}, not an object", schema::describe(root)),
                    "a Kubernetes manifest is a mapping with apiVersion, kind and metadata",
                );
            }
        }
    }
    for resource in &cx.model.resources {
        check_resource(cx, resource, sink);
    }
}

fn head(resource: &Resource<'_>) -> ByteSpan {
    resource.node.entries().next().map_or(resource.node.span(), |(k, _)| k.span())
}

fn check_resource(cx: &Cx<'_, '_>, resource: &Resource<'_>, sink: &mut Sink) {
    let missing: Vec<&str> = ["apiVersion", "kind"]
        .into_iter()
        .filter(|k| resource.node.field(k).and_then(|v| v.str()).is_none_or(str::is_empty))
        .collect();
    if !missing.is_empty() {
        sink.report(
            resource,
            head(resource),
            resource.path(""),
            format!("object has no `{}`", missing.join("` or `")),
            "every Kubernetes object names its apiVersion and kind",
        );
        return;
    }
    let api_version = resource.api_version.unwrap_or("");
    if !is_config_object(api_version, resource.kind()) && resource.kind() != "Kustomization" {
        let meta = resource.metadata();
        let has_name = meta
            .and_then(|m| m.field("name").or_else(|| m.field("generateName")))
            .and_then(|n| n.str())
            .is_some_and(|n| !n.is_empty());
        if !has_name {
            let at = resource.node.entry("metadata").map_or_else(|| head(resource), |(k, _)| k.span());
            sink.report(
                resource,
                at,
                resource.path("metadata.name"),
                format!("{} has no `metadata.name`", resource.kind()),
                "name the object in metadata.name (or metadata.generateName)",
            );
        }
    }
    let mut errors: Vec<TypeError<'_>> = Vec::new();
    let pod = cx.model.pod(resource.id);
    // Rules between fields, which the OpenAPI types do not express: checked either way.
    if let Some(pod) = pod {
        for (profile, path) in pod.profiles() {
            schema::check_localhost_profile(profile, &path, &mut errors);
        }
    }
    // Where schema validation checks every field's type, its `wrong-field-type` findings say it.
    if !crate::schema::checks_types(cx, resource) {
        if let Some(meta) = resource.node.get("metadata") {
            schema::check_object(meta, &resource.path("metadata"), schema::METADATA, &mut errors);
        }
        if let Some(pod) = pod {
            schema::check_object(pod.spec, &pod.spec_path, schema::POD_SPEC, &mut errors);
            if let Some(meta) = pod.metadata {
                schema::check_object(meta, &pod.metadata_path, schema::METADATA, &mut errors);
            }
        }
    }
    for e in errors {
        let (message, help) = match &e.rule {
            Some(rule) => (
                format!("{rule}: the API server rejects this object"),
                "write localhostProfile (the profile's file on the nodes) exactly when type is Localhost",
            ),
            None => {
                let field = e.path.rsplit(['.', '[']).next().unwrap_or("").trim_end_matches(']');
                (
                    format!(
                        "`{field}` must be {}, not {}: the API server rejects this object",
                        e.expected,
                        schema::describe(e.node)
                    ),
                    type_help(e.expected),
                )
            }
        };
        sink.report(resource, e.node.span(), e.path.clone(), message, help);
    }
}

fn type_help(expected: &str) -> &'static str {
    if expected.starts_with("a boolean") {
        "write true or false without quotes"
    } else if expected.starts_with("an integer") {
        "write the number without quotes"
    } else if expected == "a list" {
        "write a YAML list (items starting with `- `)"
    } else if expected.starts_with("a quantity") {
        "write the quantity as a number or a string with its unit, such as 500m or 256Mi"
    } else if expected.starts_with("a mapping of resource names") {
        "write `limits:` and `requests:` as mappings, such as `cpu: 500m` and `memory: 256Mi` on their own lines"
    } else {
        "use the type the Kubernetes API reference gives for this field"
    }
}
