//! `pss-apparmor`: Pod Security Standards baseline, check `appArmorProfile`.

use super::common::{message, quote, str_or_empty};
use crate::fix;
use crate::fix::Applicability;
use crate::model::{PodSpec, Resource};
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, PssCheck, PssLevel, Rule, Sink, Tier, Versioned};
use crate::source::NodeRef;

pub static RULE: Rule = Rule {
    id: "pss-apparmor",
    family: Family::Pss,
    severity: Severity::Error,
    tier: Tier::Baseline,
    summary: "The pod or a container disables or overrides the default AppArmor profile.",
    docs: docs! {
        what: "Reports `securityContext.appArmorProfile.type` values other than `RuntimeDefault` and \
               `Localhost` on the pod and on every container (including init and ephemeral containers), \
               and the annotations `container.apparmor.security.beta.kubernetes.io/<container>` whose \
               value is not empty, `runtime/default` or `localhost/<profile>`. Both forms are checked \
               at every Kubernetes version, as the API server does.",
        why: "AppArmor confines what a container's processes may do on the node (which files, which \
              mounts, which capabilities are usable). `Unconfined` turns that confinement off and leaves \
              the node kernel exposed to a compromised container. The Pod Security Standards forbid \
              overriding the default profile except with one installed on the node, from the baseline \
              level up.",
        fail: r#"apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx:1.27
    securityContext:
      appArmorProfile:
        type: Unconfined
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
      appArmorProfile:
        type: RuntimeDefault
"#,
        fix: "Set `appArmorProfile.type: RuntimeDefault` (or `Localhost` with a profile installed on the \
              nodes), or remove the setting; replace the deprecated annotations with the \
              `securityContext.appArmorProfile` field (Kubernetes v1.30 and later).",
        references: &[
            "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
            "https://kubernetes.io/docs/tutorials/security/apparmor/",
        ],
    },
    aliases: &["appArmorProfile", "trivy:KSV002"],
    pss: Some(PssCheck { id: "appArmorProfile", level: PssLevel::Baseline, overrides: &[] }),
    checks: &[Versioned::always(Check::Pod(check))],
    fix: Some(Applicability::Hardening),
};

const REASON: &str = "forbidden AppArmor profile";
const ANNOTATION_PREFIX: &str = "container.apparmor.security.beta.kubernetes.io/";
const HELP: &str =
    "set appArmorProfile.type to RuntimeDefault (or Localhost with a profile installed on the nodes), or remove it";

fn allowed_type(t: &str) -> bool {
    matches!(t, "RuntimeDefault" | "Localhost")
}

fn allowed_annotation(value: &str) -> bool {
    value.is_empty() || value == "runtime/default" || value.starts_with("localhost/")
}

/// Reports an `appArmorProfile` mapping whose type is not allowed (a missing type is the empty,
/// invalid type).
fn report_profile(
    text: &str,
    resource: &Resource<'_>,
    profile: NodeRef<'_>,
    profile_key: NodeRef<'_>,
    setter: &str,
    path: String,
    sink: &mut Sink,
) {
    match profile.entry("type") {
        Some((_, t)) if allowed_type(str_or_empty(t)) => {}
        Some((_, t)) if !t.is_null() => {
            let value = str_or_empty(t);
            sink.report(
                resource,
                t.span(),
                format!("{path}.type"),
                message(REASON, format!("{setter} must not set AppArmor profile type to {}", quote(value))),
                HELP,
            )
            .fix("set appArmorProfile.type: RuntimeDefault", vec![(t.span(), "RuntimeDefault".into())]);
        }
        found => {
            let reported = sink.report(
                resource,
                profile_key.span(),
                format!("{path}.type"),
                message(REASON, format!("{setter} must not set AppArmor profile type to \"\"")),
                HELP,
            );
            if found.is_none()
                && let Some(edits) = fix::insert(text, profile, &["type"], "RuntimeDefault")
            {
                reported.fix("set appArmorProfile.type: RuntimeDefault", edits);
            }
        }
    }
}

fn check(cx: &Cx<'_, '_>, resource: &Resource<'_>, pod: &PodSpec<'_>, sink: &mut Sink) {
    if let Some((key, profile)) =
        pod.security_context().and_then(|sc| sc.entry("appArmorProfile")).filter(|(_, v)| !v.is_null())
    {
        report_profile(cx.text(resource), resource, profile, key, "pod", pod.sc_path("appArmorProfile"), sink);
    }
    for c in pod.containers() {
        if let Some((key, profile)) =
            c.security_context().and_then(|sc| sc.entry("appArmorProfile")).filter(|(_, v)| !v.is_null())
        {
            report_profile(cx.text(resource), resource, profile, key, &c.label(), c.sc_path("appArmorProfile"), sink);
        }
    }
    let Some(annotations) = pod.metadata.and_then(|m| m.field("annotations")) else {
        return;
    };
    for (key, value) in annotations.entries() {
        let Some(name) = key.key_str().filter(|k| k.starts_with(ANNOTATION_PREFIX)) else {
            continue;
        };
        let profile = str_or_empty(value);
        if allowed_annotation(profile) {
            continue;
        }
        let at = if value.is_null() { key.span() } else { value.span() };
        sink.report(
            resource,
            at,
            format!("{}.annotations[{}]", pod.metadata_path, quote(name)),
            message(REASON, format!("annotation {name}={} is forbidden", quote(profile))),
            "use runtime/default or localhost/<profile>, or better the securityContext.appArmorProfile field",
        )
        .fix("use runtime/default", vec![(value.span(), "runtime/default".into())]);
    }
}
