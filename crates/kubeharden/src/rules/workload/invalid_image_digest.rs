//! `invalid-image-digest`: an image reference with a malformed `@digest`.

use super::helpers::is_image_reference;
use crate::model::image::{ImageRef, digest_problem};
use crate::model::{PodSpec, Resource};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "invalid-image-digest",
    family: Family::Workload,
    severity: Severity::Error,
    tier: Tier::Always,
    summary: "A container image has a malformed @digest, so the image cannot be pulled and the pod never starts.",
    docs: docs! {
        what: "Reports container images (all container kinds) whose `@digest` is not in the form the OCI \
               image spec registers: `sha256:` followed by 64 lower-case hex digits, or `sha512:` followed \
               by 128. A short or truncated digest (`@sha256:abc123`), upper-case hex, the wrong length \
               for the algorithm and unknown algorithms are all reported, at the image value. Such an image \
               is not pinned either: `image-tag-latest` and `image-not-pinned` leave it to this rule.",
        why: "The container runtime refuses to pull an image whose digest is malformed (the pod stays in \
              `InvalidImageName` or `ErrImagePull`), and a digest of an algorithm the runtime cannot \
              verify pins nothing. A digest copied by hand, shortened for readability or upper-cased by \
              a tool looks like a pin in review while the workload never runs.",
        fail: r#"apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx:1.27@sha256:0d17b565c37b
"#,
        pass: r#"apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx:1.27@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31
"#,
        fix: "Write the full digest of the image as the registry reports it (`crane digest nginx:1.27`, \
              `docker buildx imagetools inspect`), in lower case, or remove the `@digest`.",
        references: &[
            "https://github.com/opencontainers/image-spec/blob/main/descriptor.md#digests",
            "https://kubernetes.io/docs/concepts/containers/images/#image-names",
        ],
    },
    aliases: &[],
    pss: None,
    checks: &[Versioned::always(Check::Pod(check))],
    fix: None,
};

fn check(_cx: &Cx<'_, '_>, resource: &Resource<'_>, pod: &PodSpec<'_>, sink: &mut Sink) {
    for c in pod.containers() {
        let Some(node) = c.node.field("image") else { continue };
        let Some(image) = node.str().filter(|i| is_image_reference(i)) else { continue };
        let Some(digest) = ImageRef::parse(image).digest else { continue };
        let Some(problem) = digest_problem(digest) else { continue };
        sink.report(
            resource,
            node.span(),
            c.field_path("image"),
            format!("{} image `{image}` has a malformed digest: {problem}; the image cannot be pulled", c.label()),
            "write the image's full digest (sha256: and 64 lower-case hex digits), or remove the @digest",
        );
    }
}
