//! `image-not-pinned`: an image is not pinned by digest (opt-in).

use super::helpers::is_image_reference;
use crate::model::image::ImageRef;
use crate::model::{PodSpec, Resource};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "image-not-pinned",
    family: Family::Workload,
    severity: Severity::Info,
    tier: Tier::OptIn,
    summary: "A container image is referenced by tag only, not pinned by an immutable @sha256 digest.",
    docs: docs! {
        what: "Reports container images (all container kinds) without a content digest (`@sha256:…`). A \
               tag, even a precise one such as `1.27.3`, can be moved to other content by whoever controls \
               the registry. Opt-in: enable it in the config (`rules: {image-not-pinned: on}`).",
        why: "Only a digest identifies image content: with it, every node runs the same bytes, a rollback \
              really rolls back, and a compromised registry or a re-pushed tag cannot change what runs. \
              The NSA/CISA hardening guide's supply-chain advice and the SLSA framework ask for \
              immutable references. Pinning costs update automation (a bot that bumps digests), so the \
              rule is opt-in.",
        fail: r#"apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx:1.27.3
"#,
        pass: r#"apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx:1.27.3@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31
"#,
        fix: "Append the digest of the tested image: `image: nginx:1.27.3@sha256:…` (keep the tag for \
              readability; the digest decides). `crane digest` or `docker buildx imagetools inspect` \
              print it; Renovate and Dependabot keep digests current.",
        references: &[
            "https://kubernetes.io/docs/concepts/containers/images/#image-names",
            "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
        ],
    },
    aliases: &["checkov:CKV_K8S_43"],
    pss: None,
    checks: &[Versioned::always(Check::Pod(check))],
    fix: None,
};

fn check(_cx: &Cx<'_, '_>, resource: &Resource<'_>, pod: &PodSpec<'_>, sink: &mut Sink) {
    for c in pod.containers() {
        let Some(node) = c.node.field("image") else { continue };
        let Some(image) = node.str().filter(|i| is_image_reference(i)) else { continue };
        // Pinned, or a malformed digest that `invalid-image-digest` reports.
        if ImageRef::parse(image).digest.is_some() {
            continue;
        }
        sink.report(
            resource,
            node.span(),
            c.field_path("image"),
            format!("image not pinned: {} image `{image}` has no @sha256 digest", c.label()),
            "append the image's digest: name:tag@sha256:…",
        );
    }
}
