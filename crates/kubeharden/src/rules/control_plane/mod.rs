//! Rules of the `control-plane` family: the flags of kube-apiserver, kube-controller-manager,
//! kube-scheduler, etcd and the kubelet (static Pods, pod templates, kubeadm configurations),
//! and the component configuration files (`KubeletConfiguration`, `EncryptionConfiguration`,
//! audit `Policy`, `AuthenticationConfiguration`).
//!
//! Components and their flags come from [`crate::model::component`]. The helpers here turn a
//! flag's setting into a finding's position and build the fixes that change or add a flag where
//! the component's flags are written.

pub mod apiserver_anonymous_auth_enabled;
pub mod apiserver_audit_log_disabled;
pub mod apiserver_insecure_port_enabled;
pub mod apiserver_kubelet_tls_unverified;
pub mod apiserver_no_encryption_at_rest;
pub mod apiserver_profiling_enabled;
pub mod apiserver_static_token_file;
pub mod apiserver_weak_admission_plugins;
pub mod apiserver_weak_authorization_mode;
pub mod audit_policy_logs_secrets;
pub mod control_plane_version_unsupported;
pub mod controller_manager_shared_credentials;
pub mod encryption_provider_weak;
pub mod etcd_weak_client_tls;
pub mod kubelet;
pub mod kubelet_anonymous_auth_enabled;
pub mod kubelet_authorization_always_allow;
pub mod kubelet_certificate_rotation_disabled;
pub mod kubelet_kernel_defaults_unprotected;
pub mod kubelet_read_only_port_enabled;

use super::{Cx, Rule, Sink};
use crate::model::Resource;
use crate::model::component::{self, Component, ComponentKind, Origin, Setting};
use crate::source::{ByteSpan, NodeRef};

pub static RULES: &[&Rule] = &[
    &apiserver_anonymous_auth_enabled::RULE,
    &apiserver_weak_authorization_mode::RULE,
    &apiserver_insecure_port_enabled::RULE,
    &apiserver_static_token_file::RULE,
    &apiserver_audit_log_disabled::RULE,
    &apiserver_no_encryption_at_rest::RULE,
    &apiserver_weak_admission_plugins::RULE,
    &apiserver_kubelet_tls_unverified::RULE,
    &apiserver_profiling_enabled::RULE,
    &controller_manager_shared_credentials::RULE,
    &etcd_weak_client_tls::RULE,
    &kubelet_anonymous_auth_enabled::RULE,
    &kubelet_authorization_always_allow::RULE,
    &kubelet_read_only_port_enabled::RULE,
    &kubelet_kernel_defaults_unprotected::RULE,
    &kubelet_certificate_rotation_disabled::RULE,
    &encryption_provider_weak::RULE,
    &audit_policy_logs_secrets::RULE,
    &control_plane_version_unsupported::RULE,
];

/// Runs `f` on every component of a kind, with its resource.
pub(crate) fn each_component<'s>(
    cx: &Cx<'_, 's>,
    kind: ComponentKind,
    mut f: impl FnMut(&Resource<'s>, &Component<'s>),
) {
    for comp in component::of_kind(cx.model, kind) {
        if let Some(resource) = cx.model.resource(comp.resource) {
            f(resource, comp);
        }
    }
}

/// Where a finding about a flag points: the flag when written, else the command (or the
/// kubeadm section) that lacks it.
fn position(comp: &Component<'_>, setting: &Setting<'_>) -> (ByteSpan, String) {
    match setting {
        Setting::Flag(f) => (f.span, f.path.clone()),
        _ => (comp.anchor, comp.anchor_path.clone()),
    }
}

/// How a component gets a flag's value, for messages: `kube-apiserver in container "x" sets
/// --profiling=true`, or `… does not set --profiling, which defaults to true`.
pub(crate) fn describe(comp: &Component<'_>, name: &str, default: &str) -> String {
    match comp.setting(name) {
        Setting::Flag(f) => format!("{} sets {}", comp.label(), f.display()),
        Setting::Implied(v) => format!("{} runs with kubeadm's --{name}={v}", comp.label()),
        Setting::Default => format!("{} does not set --{name}, which defaults to {default}", comp.label()),
    }
}

/// Reports a flag's setting (message and help), with a fix that sets it to `wanted`.
pub(crate) fn report_flag(
    cx: &Cx<'_, '_>,
    sink: &mut Sink,
    resource: &Resource<'_>,
    comp: &Component<'_>,
    name: &str,
    (message, help): (String, String),
    wanted: Option<&str>,
) {
    let setting = comp.setting(name);
    let (span, path) = position(comp, &setting);
    let reported = sink.report(resource, span, path, message, help);
    if let Some(value) = wanted
        && let Some(edits) = set_flag(cx, resource, comp, name, value)
    {
        reported.fix(format!("set {}", comp.spell(name, value)), edits);
    }
}

/// Edits that make `name` read `value`: the last written occurrence changed in place (only
/// when it is the only one), else the flag added.
pub(crate) fn set_flag(
    cx: &Cx<'_, '_>,
    resource: &Resource<'_>,
    comp: &Component<'_>,
    name: &str,
    value: &str,
) -> Option<Vec<(ByteSpan, String)>> {
    let text = cx.text(resource);
    let written: Vec<&component::Flag> = comp.all(name).collect();
    match written.as_slice() {
        [] => add_flag(text, comp, name, value),
        [flag] => {
            // A boolean flag written alone (`--profiling`) is rewritten whole, in a command list.
            if flag.value.is_none() {
                return match &comp.origin {
                    Origin::Container { list: Some(_), .. } => Some(vec![(flag.span, format!("--{name}={value}"))]),
                    _ => None,
                };
            }
            // kubeadm arguments and environment variables are string fields: the whole value
            // is replaced by a quoted string.
            if flag.from_env {
                return Some(vec![(flag.span, format!("\"{value}\""))]);
            }
            let span = flag.value_span?;
            if comp.is_kubeadm() {
                return Some(vec![(span, format!("\"{value}\""))]);
            }
            // A plain scalar inside a flow sequence cannot take flow indicators.
            if value.contains([',', '[', ']', '{', '}', '#', ' ']) && in_flow(text, comp) {
                return None;
            }
            Some(vec![(span, value.to_owned())])
        }
        _ => None,
    }
}

fn in_flow(text: &str, comp: &Component<'_>) -> bool {
    match &comp.origin {
        Origin::Container { list: Some((list, _)), .. } => starts_with(text, *list, '['),
        _ => true,
    }
}

fn starts_with(text: &str, node: NodeRef<'_>, ch: char) -> bool {
    text.get(node.span().start as usize..).is_some_and(|s| s.starts_with(ch))
}

/// Adds `--name=value` after the binary in the command list, or `name: "value"` to kubeadm's
/// extra arguments (creating the section when needed).
pub(crate) fn add_flag(text: &str, comp: &Component<'_>, name: &str, value: &str) -> Option<Vec<(ByteSpan, String)>> {
    match &comp.origin {
        Origin::Container { list: Some((list, index)), .. } => {
            let item = list.items().nth(*index)?;
            let span = item.span();
            if starts_with(text, *list, '[') {
                return Some(vec![(
                    ByteSpan::new(span.end as usize, span.end as usize),
                    format!(", \"--{name}={value}\""),
                )]);
            }
            let start = span.start as usize;
            let end = span.end as usize;
            if text.get(start..end)?.contains(['\n', '\r']) {
                return None;
            }
            let line_start = text.get(..start)?.rfind(['\n', '\r']).map_or(0, |i| i + 1);
            let before = text.get(line_start..start)?;
            let dash = before.rfind('-')?;
            let indent = before.get(..dash)?;
            let indent: String = indent.chars().map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
            let newline = crate::fix::newline_near(text, start);
            let line_end = text.get(end..)?.find(['\n', '\r']).map_or(text.len(), |i| end + i);
            let quote = if value.contains([' ', '#', ':']) { "\"" } else { "" };
            Some(vec![(
                ByteSpan::new(line_end, line_end),
                format!("{newline}{indent}- {quote}--{name}={value}{quote}"),
            )])
        }
        Origin::Container { list: None, .. } => None,
        Origin::Kubeadm { parent, keys, list_form, .. } => {
            let args = keys.iter().try_fold(*parent, |node, key| node.get(key));
            match (args, list_form) {
                (Some(list), true) if list.is_seq() => {
                    let entry = format!("{{name: {name}, value: \"{value}\"}}");
                    if starts_with(text, list, '[') {
                        let at = list.span().start as usize + 1;
                        let sep = if list.is_empty() { "" } else { ", " };
                        return Some(vec![(ByteSpan::new(at, at), format!("{entry}{sep}"))]);
                    }
                    let first = list.items().next()?;
                    let start = first.span().start as usize;
                    let line_start = text.get(..start)?.rfind(['\n', '\r']).map_or(0, |i| i + 1);
                    let before = text.get(line_start..start)?;
                    let dash = before.rfind('-')?;
                    let newline = crate::fix::newline_near(text, line_start);
                    let indent = before.get(..dash)?;
                    if !indent.bytes().all(|b| b == b' ') {
                        return None;
                    }
                    Some(vec![(ByteSpan::new(line_start, line_start), format!("{indent}- {entry}{newline}"))])
                }
                (None, true) => {
                    crate::fix::insert(text, *parent, keys, &format!("[{{name: {name}, value: \"{value}\"}}]"))
                }
                (Some(map), false) if map.is_map() => crate::fix::insert(text, map, &[name], &format!("\"{value}\"")),
                (None, false) => {
                    let mut path: Vec<&str> = keys.clone();
                    path.push(name);
                    crate::fix::insert(text, *parent, &path, &format!("\"{value}\""))
                }
                _ => None,
            }
        }
    }
}

/// Configuration objects of a kind in a group, such as `AuthenticationConfiguration` in
/// `apiserver.config.k8s.io`.
pub(crate) fn config_objects<'m, 's>(
    cx: &'m Cx<'_, 's>,
    group: &'static str,
    kind: &'static str,
) -> impl Iterator<Item = &'m Resource<'s>> + 'm {
    cx.model.of_kind(kind).filter(move |r| r.group() == group)
}

#[cfg(test)]
mod tests {
    use crate::{Config, lint_str};

    /// Odd shapes where the rules read (scalars for lists, lists for maps, nulls, numbers)
    /// never panic, and commands that are not lists make no component.
    #[test]
    fn odd_shapes_are_read_totally() {
        let inputs = [
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: x\n    command: kube-apiserver --anonymous-auth=true\n",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: x\n    command: [~, 12, {a: b}, [c]]\n    args: {x: y}\n",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: x\n    command: [sh, -c]\n",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: x\n    command: [sh, -c, \"'unterminated \\\\\"]\n",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: x\n    command: [etcd, --, --client-cert-auth=true, '-', '--=x', '--']\n    env: [{name: ETCD_AUTO_TLS}, 7, {name: ETCD_, value: {a: 1}}]\n",
            "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\napiServer:\n  extraArgs: [7, {value: x}, {name: ~}, {name: profiling, value: [1]}]\netcd: []\n",
            "apiVersion: kubeadm.k8s.io/v1beta3\nkind: InitConfiguration\nnodeRegistration:\n  kubeletExtraArgs: {null: 1, 5: x}\n",
            "apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\napiServer: []\nkubernetesVersion: 1\n",
            "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication: [1]\nauthorization: {mode: [x]}\nreadOnlyPort: {}\nfeatureGates: 3\n",
            "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources: [{resources: secrets, providers: {}}, {resources: [secrets], providers: [7, {}]}]\n",
            "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: [7, {level: [x]}, {resources: 3}, {resources: [{group: [1], resources: {}}]}]\n",
            "apiVersion: apiserver.config.k8s.io/v1beta1\nkind: AuthenticationConfiguration\nanonymous: {enabled: true, conditions: 4}\n",
            "apiVersion: apiserver.config.k8s.io/v1\nkind: AuthorizationConfiguration\nauthorizers: {type: AlwaysAllow}\n",
        ];
        for (i, input) in inputs.iter().enumerate() {
            let report = lint_str("odd.yaml", input, &Config::default());
            if i < 2 {
                let rules: Vec<&str> = report.findings.iter().map(|f| f.rule.as_str()).collect();
                assert!(!rules.iter().any(|r| r.starts_with("apiserver-")), "{input}: {rules:?}");
            }
        }
    }

    /// The text after the fix of `rule`'s one finding, or `None` when it offers none.
    fn fixed(rule: &str, input: &str) -> Option<String> {
        let report = lint_str("cp.yaml", input, &Config::default());
        let found: Vec<_> = report.findings.iter().filter(|f| f.rule == rule).collect();
        assert_eq!(found.len(), 1, "{rule} in {input}: {found:#?}");
        found[0].fix.as_ref().map(|fix| fix.apply(input).unwrap_or_else(|| panic!("{rule}: edits do not fit")))
    }

    const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: kube-apiserver, namespace: kube-system}\nspec:\n  containers:\n  - name: kube-apiserver\n    image: registry.k8s.io/kube-apiserver:v1.36.2\n";

    /// Flags are added or changed in each way a component can be written, and not where the
    /// result could not be written safely.
    #[test]
    fn flag_fixes_fit_each_shape_of_command_and_kubeadm_arguments() {
        let flow = format!("{POD}    command: [kube-apiserver]\n");
        assert_eq!(
            fixed("apiserver-profiling-enabled", &flow),
            Some(flow.replace("[kube-apiserver]", "[kube-apiserver, \"--profiling=false\"]"))
        );
        // The new item goes after the line's comment.
        let block =
            format!("{POD}    command:\n      - kube-apiserver  # the binary\n      - --anonymous-auth=false\n");
        assert_eq!(
            fixed("apiserver-profiling-enabled", &block),
            Some(block.replace("binary\n", "binary\n      - --profiling=false\n"))
        );
        // In a flow list a plain value cannot hold the comma of a plugin list: no fix.
        let plugins = format!("{POD}    command: [kube-apiserver, --enable-admission-plugins=NamespaceLifecycle]\n");
        assert_eq!(fixed("apiserver-weak-admission-plugins", &plugins), None);
        let block_plugins =
            format!("{POD}    command:\n    - kube-apiserver\n    - --enable-admission-plugins=NamespaceLifecycle\n");
        assert_eq!(
            fixed("apiserver-weak-admission-plugins", &block_plugins),
            Some(block_plugins.replace("=NamespaceLifecycle", "=NamespaceLifecycle,NodeRestriction"))
        );
        let kubeadm4 = "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\napiServer:\n  extraArgs: [{name: anonymous-auth, value: \"false\"}]\n";
        assert_eq!(
            fixed("apiserver-profiling-enabled", kubeadm4),
            Some(kubeadm4.replace("extraArgs: [", "extraArgs: [{name: profiling, value: \"false\"}, "))
        );
        let kubeadm3 = "apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\napiServer:\n  certSANs: [cp.example.com]\n";
        let fixed3 = fixed("apiserver-profiling-enabled", kubeadm3).unwrap_or_default();
        assert!(fixed3.contains("  extraArgs:\n    profiling: \"false\"\n"), "{fixed3}");
    }
}
