//! `pss-seccomp-baseline`: Pod Security Standards baseline, check `seccompProfile_baseline`.

use super::common::{message, quote, str_or_empty};
use crate::fix;
use crate::fix::Applicability;
use crate::model::{PodSpec, Resource};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, PssCheck, PssLevel, Rule, Sink, Tier, Versioned};
use crate::source::NodeRef;

pub static RULE: Rule = Rule {
    id: "pss-seccomp-baseline",
    family: Family::Pss,
    severity: Severity::Error,
    tier: Tier::Baseline,
    summary: "The pod or a container turns seccomp off (Unconfined).",
    docs: docs! {
        what: "From Kubernetes v1.19: reports `securityContext.seccompProfile.type` values other than \
               `RuntimeDefault` and `Localhost` on the pod and on every container (including init and \
               ephemeral containers). Before v1.19 (when seccomp was configured by annotations): reports \
               the annotations `seccomp.security.alpha.kubernetes.io/pod` and \
               `container.seccomp.security.alpha.kubernetes.io/<container>` whose value is not \
               `runtime/default`, `docker/default` or `localhost/<profile>`; the fields are not read at \
               those versions, and the annotations are not read from v1.19, exactly as the API server \
               does. At the restricted level `pss-seccomp-restricted` replaces this rule from v1.19.",
        why: "Seccomp filters the system calls a container may make; the runtime's default profile blocks \
              dozens that have been used to escape containers (such as `unshare`, `keyctl`, `bpf`). \
              `Unconfined` removes the filter and exposes the whole kernel attack surface. The Pod \
              Security Standards forbid it from the baseline level up.",
        fail: r#"apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  securityContext:
    seccompProfile:
      type: Unconfined
  containers:
  - name: app
    image: nginx:1.27
"#,
        pass: r#"apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  securityContext:
    seccompProfile:
      type: RuntimeDefault
  containers:
  - name: app
    image: nginx:1.27
"#,
        fix: "Set `seccompProfile.type: RuntimeDefault` (or `Localhost` with a profile installed on the \
              nodes), or remove the setting. Replace the deprecated seccomp annotations with the \
              `securityContext.seccompProfile` field.",
        references: &[
            "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
            "https://kubernetes.io/docs/tutorials/security/seccomp/",
        ],
    },
    aliases: &["seccompProfile_baseline", "CIS 5.7.2", "checkov:CKV_K8S_31"],
    pss: Some(PssCheck { id: "seccompProfile_baseline", level: PssLevel::Baseline, overrides: &[] }),
    checks: &[Versioned::always(Check::Pod(v1_0)), Versioned::since(19, Check::Pod(v1_19))],
    fix: Some(Applicability::Hardening),
};

pub const REASON: &str = "seccompProfile";
const POD_ANNOTATION: &str = "seccomp.security.alpha.kubernetes.io/pod";
const CONTAINER_ANNOTATION_PREFIX: &str = "container.seccomp.security.alpha.kubernetes.io/";

/// The seccomp profile types the Pod Security Standards allow.
pub fn valid_type(t: &str) -> bool {
    matches!(t, "RuntimeDefault" | "Localhost")
}

fn valid_annotation(value: &str) -> bool {
    value == "runtime/default" || value == "docker/default" || value.starts_with("localhost/")
}

/// Before v1.19: the alpha annotations (a present annotation with an empty value is forbidden).
fn v1_0(_cx: &Cx<'_, '_>, resource: &Resource<'_>, pod: &PodSpec<'_>, sink: &mut Sink) {
    let Some(annotations) = pod.metadata.and_then(|m| m.field("annotations")) else {
        return;
    };
    let mut keys = vec![POD_ANNOTATION.to_owned()];
    keys.extend(pod.containers().iter().map(|c| format!("{CONTAINER_ANNOTATION_PREFIX}{}", c.name)));
    // A container name listed twice (invalid anyway) must not report its annotation twice.
    let mut seen = Vec::new();
    for key in keys {
        if seen.contains(&key) {
            continue;
        }
        let Some((k, value)) = annotations.entry(&key) else {
            seen.push(key);
            continue;
        };
        let profile = str_or_empty(value);
        if !valid_annotation(profile) {
            let at = if value.is_null() { k.span() } else { value.span() };
            let reported = sink.report(
                resource,
                at,
                format!("{}.annotations[{}]", pod.metadata_path, quote(&key)),
                message(REASON, format!("forbidden annotation {key}={}", quote(profile))),
                "use runtime/default or localhost/<profile>, or remove the annotation",
            );
            if !value.is_null() {
                reported.fix("use runtime/default", vec![(value.span(), "runtime/default".into())]);
            }
        }
        seen.push(key);
    }
}

/// Reports a `seccompProfile` mapping whose type is not allowed; returns whether it did.
pub fn report_bad_profile(
    text: &str,
    resource: &Resource<'_>,
    profile_key: NodeRef<'_>,
    profile: NodeRef<'_>,
    setter: &str,
    path: &str,
    sink: &mut Sink,
) -> bool {
    let value = profile.get("type").map_or("", str_or_empty);
    if valid_type(value) {
        return false;
    }
    let help = "set seccompProfile.type to RuntimeDefault (or Localhost with a profile installed on the nodes)";
    let detail = format!("{setter} must not set securityContext.seccompProfile.type to {}", quote(value));
    match profile.get("type") {
        Some(t) if !t.is_null() => {
            sink.report(resource, t.span(), format!("{path}.type"), message(REASON, detail), help)
                .fix("set seccompProfile.type: RuntimeDefault", vec![(t.span(), "RuntimeDefault".into())]);
        }
        Some(_) => {
            sink.report(resource, profile_key.span(), format!("{path}.type"), message(REASON, detail), help);
        }
        None => {
            let reported =
                sink.report(resource, profile_key.span(), format!("{path}.type"), message(REASON, detail), help);
            if let Some(edits) = fix::insert(text, profile, &["type"], "RuntimeDefault") {
                reported.fix("set seccompProfile.type: RuntimeDefault", edits);
            }
        }
    }
    true
}

/// From v1.19: the `seccompProfile` fields; an unset profile is fine at the baseline level.
fn v1_19(cx: &Cx<'_, '_>, resource: &Resource<'_>, pod: &PodSpec<'_>, sink: &mut Sink) {
    if let Some((key, profile)) =
        pod.security_context().and_then(|sc| sc.entry("seccompProfile")).filter(|(_, v)| !v.is_null())
    {
        report_bad_profile(cx.text(resource), resource, key, profile, "pod", &pod.sc_path("seccompProfile"), sink);
    }
    for c in pod.containers() {
        if let Some((key, profile)) =
            c.security_context().and_then(|sc| sc.entry("seccompProfile")).filter(|(_, v)| !v.is_null())
        {
            report_bad_profile(
                cx.text(resource),
                resource,
                key,
                profile,
                &c.label(),
                &c.sc_path("seccompProfile"),
                sink,
            );
        }
    }
}
