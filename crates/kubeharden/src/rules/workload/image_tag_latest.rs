//! `image-tag-latest`: an image without a tag or with `latest`.

use super::helpers::is_image_reference;
use crate::model::image::ImageRef;
use crate::model::{PodSpec, Resource};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "image-tag-latest",
    family: Family::Workload,
    severity: Severity::Warning,
    tier: Tier::Hardened,
    summary: "A container image has no tag or the `latest` tag, so what runs can change without a change to the manifest.",
    docs: docs! {
        what: "Reports container images (all container kinds) that have no tag, or the tag `latest`, and \
               no digest. An image pinned by digest (`@sha256:…`) is immutable whatever its tag says. A \
               registry port is not a tag: `registry:5000/app` has no tag. Values that are not image \
               references (unrendered templates, placeholders such as `<image>`) are skipped.",
        why: "`latest` (or no tag, which means `latest`) is a moving target: two nodes can run different \
              code for the same pod, a rollback does not roll back, and a compromised registry push reaches \
              the cluster on the next restart. Immutable, versioned images are part of the NSA/CISA \
              guidance on container immutability and supply chain.",
        fail: r#"apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx:latest
"#,
        pass: r#"apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx:1.27.3
"#,
        fix: "Use a specific version tag, or better a digest (`image: nginx:1.27.3@sha256:…`).",
        references: &[
            "https://kubernetes.io/docs/concepts/containers/images/#image-names",
            "https://kubernetes.io/docs/concepts/configuration/overview/#container-images",
        ],
    },
    aliases: &[
        "kube-linter:latest-tag",
        "kube-score:container-image-tag",
        "polaris:tagNotSpecified",
        "checkov:CKV_K8S_14",
    ],
    pss: None,
    checks: &[Versioned::always(Check::Pod(check))],
    fix: None,
};

fn check(_cx: &Cx<'_, '_>, resource: &Resource<'_>, pod: &PodSpec<'_>, sink: &mut Sink) {
    for c in pod.containers() {
        let Some(node) = c.node.field("image") else {
            continue;
        };
        let Some(image) = node.str() else { continue };
        if !is_image_reference(image) {
            continue;
        }
        let r = ImageRef::parse(image);
        // Pinned, or a malformed digest that `invalid-image-digest` reports.
        if r.digest.is_some() {
            continue;
        }
        let problem = match r.tag {
            None => "has no tag (it pulls `latest`)",
            Some("latest") => "uses the `latest` tag",
            Some(_) => continue,
        };
        sink.report(
            resource,
            node.span(),
            c.field_path("image"),
            format!("{} image `{image}` {problem}", c.label()),
            "pin a version tag, or a digest (@sha256:…)",
        );
    }
}
