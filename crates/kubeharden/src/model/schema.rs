//! The field types the API server enforces, for the fields the rules read.
//!
//! A string where a boolean is expected (`privileged: "true"`) is a decoding error: the API
//! server rejects the object. Rules read optimistically (a wrong type reads as unset); this
//! schema is how `invalid-resource` reports such errors once, at the offending value. Fields
//! not listed here are not checked.

use crate::source::NodeRef;

#[derive(Debug)]
pub enum Ty {
    Bool,
    Int,
    /// A string field; numbers and booleans are accepted in their string form.
    Str,
    /// A map of strings (labels, annotations).
    StrMap,
    /// Anything (the field is not checked).
    Any,
    /// A mapping of resource quantities (`cpu: 500m`): each value a string or a number.
    Quantities,
    /// A seccomp or AppArmor profile (`SECCOMP` fields); see [`check_localhost_profile`] for
    /// the rule between its fields.
    Profile,
    Object(&'static [Field]),
    List(&'static Ty),
}

#[derive(Debug)]
pub struct Field {
    pub name: &'static str,
    pub ty: Ty,
}

const fn f(name: &'static str, ty: Ty) -> Field {
    Field { name, ty }
}

pub static SELINUX: &[Field] = &[f("user", Ty::Str), f("role", Ty::Str), f("type", Ty::Str), f("level", Ty::Str)];
pub static SECCOMP: &[Field] = &[f("type", Ty::Str), f("localhostProfile", Ty::Str)];
pub static WINDOWS: &[Field] = &[
    f("hostProcess", Ty::Bool),
    f("runAsUserName", Ty::Str),
    f("gmsaCredentialSpecName", Ty::Str),
    f("gmsaCredentialSpec", Ty::Str),
];
pub static CAPABILITIES: &[Field] = &[f("add", Ty::List(&Ty::Str)), f("drop", Ty::List(&Ty::Str))];

pub static CONTAINER_SECURITY_CONTEXT: &[Field] = &[
    f("privileged", Ty::Bool),
    f("allowPrivilegeEscalation", Ty::Bool),
    f("readOnlyRootFilesystem", Ty::Bool),
    f("runAsNonRoot", Ty::Bool),
    f("runAsUser", Ty::Int),
    f("runAsGroup", Ty::Int),
    f("procMount", Ty::Str),
    f("capabilities", Ty::Object(CAPABILITIES)),
    f("seLinuxOptions", Ty::Object(SELINUX)),
    f("seccompProfile", Ty::Profile),
    f("appArmorProfile", Ty::Profile),
    f("windowsOptions", Ty::Object(WINDOWS)),
];

pub static SYSCTL: &[Field] = &[f("name", Ty::Str), f("value", Ty::Str)];

pub static POD_SECURITY_CONTEXT: &[Field] = &[
    f("runAsNonRoot", Ty::Bool),
    f("runAsUser", Ty::Int),
    f("runAsGroup", Ty::Int),
    f("fsGroup", Ty::Int),
    f("supplementalGroups", Ty::List(&Ty::Int)),
    f("sysctls", Ty::List(&Ty::Object(SYSCTL))),
    f("seLinuxOptions", Ty::Object(SELINUX)),
    f("seccompProfile", Ty::Profile),
    f("appArmorProfile", Ty::Profile),
    f("windowsOptions", Ty::Object(WINDOWS)),
];

pub static PORT: &[Field] = &[
    f("name", Ty::Str),
    f("containerPort", Ty::Int),
    f("hostPort", Ty::Int),
    f("protocol", Ty::Str),
    f("hostIP", Ty::Str),
];

pub static ENV: &[Field] = &[f("name", Ty::Str), f("value", Ty::Str), f("valueFrom", Ty::Any)];

pub static RESOURCES: &[Field] = &[f("limits", Ty::Quantities), f("requests", Ty::Quantities)];

pub static VOLUME_MOUNT: &[Field] =
    &[f("name", Ty::Str), f("mountPath", Ty::Str), f("subPath", Ty::Str), f("readOnly", Ty::Bool)];

pub static HANDLER_HTTP: &[Field] = &[f("host", Ty::Str), f("path", Ty::Str), f("scheme", Ty::Str)];
pub static HANDLER_TCP: &[Field] = &[f("host", Ty::Str)];
pub static HANDLER: &[Field] = &[f("httpGet", Ty::Object(HANDLER_HTTP)), f("tcpSocket", Ty::Object(HANDLER_TCP))];
pub static LIFECYCLE: &[Field] = &[f("postStart", Ty::Object(HANDLER)), f("preStop", Ty::Object(HANDLER))];

pub static CONTAINER: &[Field] = &[
    f("name", Ty::Str),
    f("image", Ty::Str),
    f("command", Ty::List(&Ty::Str)),
    f("args", Ty::List(&Ty::Str)),
    f("securityContext", Ty::Object(CONTAINER_SECURITY_CONTEXT)),
    f("ports", Ty::List(&Ty::Object(PORT))),
    f("env", Ty::List(&Ty::Object(ENV))),
    f("resources", Ty::Object(RESOURCES)),
    f("volumeMounts", Ty::List(&Ty::Object(VOLUME_MOUNT))),
    f("livenessProbe", Ty::Object(HANDLER)),
    f("readinessProbe", Ty::Object(HANDLER)),
    f("startupProbe", Ty::Object(HANDLER)),
    f("lifecycle", Ty::Object(LIFECYCLE)),
];

pub static HOST_PATH: &[Field] = &[f("path", Ty::Str), f("type", Ty::Str)];
pub static VOLUME: &[Field] = &[f("name", Ty::Str), f("hostPath", Ty::Object(HOST_PATH))];
pub static OS: &[Field] = &[f("name", Ty::Str)];

pub static POD_SPEC: &[Field] = &[
    f("hostNetwork", Ty::Bool),
    f("hostPID", Ty::Bool),
    f("hostIPC", Ty::Bool),
    f("hostUsers", Ty::Bool),
    f("shareProcessNamespace", Ty::Bool),
    f("automountServiceAccountToken", Ty::Bool),
    f("serviceAccountName", Ty::Str),
    f("serviceAccount", Ty::Str),
    f("runtimeClassName", Ty::Str),
    f("securityContext", Ty::Object(POD_SECURITY_CONTEXT)),
    f("containers", Ty::List(&Ty::Object(CONTAINER))),
    f("initContainers", Ty::List(&Ty::Object(CONTAINER))),
    f("ephemeralContainers", Ty::List(&Ty::Object(CONTAINER))),
    f("volumes", Ty::List(&Ty::Object(VOLUME))),
    f("os", Ty::Object(OS)),
];

pub static METADATA: &[Field] = &[
    f("name", Ty::Str),
    f("generateName", Ty::Str),
    f("namespace", Ty::Str),
    f("labels", Ty::StrMap),
    f("annotations", Ty::StrMap),
];

/// A value of the wrong type at a path.
#[derive(Debug)]
pub struct TypeError<'s> {
    pub node: NodeRef<'s>,
    pub path: String,
    pub expected: &'static str,
    /// A rule between fields rather than a type (`localhostProfile` without `type: Localhost`):
    /// what is wrong, in the API server's words.
    pub rule: Option<String>,
}

/// What a node's type is called in messages.
pub fn describe(node: NodeRef<'_>) -> &'static str {
    use crate::source::scalar::Scalar;
    if node.is_map() {
        return "a mapping";
    }
    if node.is_seq() {
        return "a list";
    }
    match node.scalar() {
        Some(Scalar::Bool(_)) => "a boolean",
        Some(Scalar::Int(_) | Scalar::UInt(_)) => "an integer",
        Some(Scalar::Float(_)) => "a number",
        Some(Scalar::Null) => "null",
        _ => "a string",
    }
}

/// `localhostProfile` goes with `type: Localhost` and only with it (API validation of seccomp and
/// AppArmor profiles); an explicit null is no profile. `path` ends with the profile's field name
/// (`…seccompProfile` or `…appArmorProfile`), which names it in messages.
pub fn check_localhost_profile<'s>(node: NodeRef<'s>, path: &str, out: &mut Vec<TypeError<'s>>) {
    if !node.is_map() {
        return;
    }
    let name = if path.ends_with("appArmorProfile") { "AppArmor" } else { "seccomp" };
    let path = crate::model::join_path(path, "localhostProfile");
    let profile = node.get("localhostProfile").filter(|p| !p.is_null());
    match (node.get("type").filter(|t| t.str() == Some("Localhost")), profile) {
        (Some(localhost), None) => out.push(TypeError {
            node: localhost,
            path,
            expected: "set",
            rule: Some(format!("`localhostProfile` must be set when the {name} profile type is Localhost")),
        }),
        (None, Some(profile)) => out.push(TypeError {
            node: profile,
            path,
            expected: "unset",
            rule: Some(format!("`localhostProfile` can only be set when the {name} profile type is Localhost")),
        }),
        _ => {}
    }
}

/// Checks `node` against `fields`, collecting type errors.
pub fn check_object<'s>(node: NodeRef<'s>, path: &str, fields: &'static [Field], out: &mut Vec<TypeError<'s>>) {
    if node.is_null() {
        return;
    }
    if !node.is_map() {
        out.push(TypeError { node, path: path.to_owned(), expected: "a mapping", rule: None });
        return;
    }
    for field in fields {
        if let Some(value) = node.get(field.name) {
            check(value, &crate::model::join_path(path, field.name), &field.ty, out);
        }
    }
}

/// Every value of the mapping `node` must be a scalar; `path_of` names a value by its key.
fn check_scalar_values<'s>(
    node: NodeRef<'s>,
    path_of: impl Fn(&str) -> String,
    expected: &'static str,
    out: &mut Vec<TypeError<'s>>,
) {
    for (k, v) in node.entries() {
        if !v.is_scalar() {
            out.push(TypeError { node: v, path: path_of(k.key_str().unwrap_or_default()), expected, rule: None });
        }
    }
}

fn check<'s>(node: NodeRef<'s>, path: &str, ty: &'static Ty, out: &mut Vec<TypeError<'s>>) {
    if node.is_null() {
        return;
    }
    let mut fail = |expected| out.push(TypeError { node, path: path.to_owned(), expected, rule: None });
    match ty {
        Ty::Bool => {
            if node.bool().is_none() {
                fail("a boolean (true or false, unquoted)");
            }
        }
        Ty::Int => {
            if node.int().is_none() {
                fail("an integer (unquoted)");
            }
        }
        Ty::Str => {
            if !node.is_scalar() {
                fail("a string");
            }
        }
        Ty::StrMap => {
            if !node.is_map() {
                fail("a mapping of strings");
            } else {
                check_scalar_values(node, |key| format!("{path}[{key:?}]"), "a string", out);
            }
        }
        Ty::Any => {}
        Ty::Quantities => {
            if !node.is_map() {
                fail("a mapping of resource names to quantities (such as `cpu: 500m`)");
            } else {
                check_scalar_values(node, |key| format!("{path}.{key}"), "a quantity (such as 500m or 1Gi)", out);
            }
        }
        Ty::Profile => check_object(node, path, SECCOMP, out),
        Ty::Object(fields) => check_object(node, path, fields, out),
        Ty::List(item) => {
            if !node.is_seq() {
                fail("a list");
            } else {
                for (i, v) in node.items().enumerate() {
                    check(v, &format!("{path}[{i}]"), item, out);
                }
            }
        }
    }
}
