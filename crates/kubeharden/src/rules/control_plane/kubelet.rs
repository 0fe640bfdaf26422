//! Shared reading of kubelet settings for the `kubelet-*` rules: a `KubeletConfiguration`
//! field (with the defaults of its API version), or a kubelet flag (in a static Pod, a pod
//! template, or kubeadm's `kubeletExtraArgs`).
//!
//! The two sources have different defaults. The kubelet.config.k8s.io/v1beta1 defaulter sets
//! the secure values (anonymous authentication off, `Webhook` authorization, read-only port 0),
//! while a kubelet started without `--config` keeps the legacy command-line defaults
//! (anonymous on, `AlwaysAllow`, port 10255). When a kubelet has `--config`, an absent flag
//! takes its value from that file, so only written flags are judged there and the file is
//! judged on its own.

use crate::fix;
use crate::model::Resource;
use crate::model::component::{ComponentKind, Setting};
use crate::rules::{Cx, Sink};
use crate::source::ByteSpan;

/// One kubelet setting and what makes it insecure.
pub(crate) struct KubeletSetting {
    /// Field path in a KubeletConfiguration, such as `["authentication", "anonymous", "enabled"]`.
    pub field: &'static [&'static str],
    /// The equivalent flag, such as `anonymous-auth`.
    pub flag: &'static str,
    /// Value of an unset field (kubelet.config.k8s.io/v1beta1 defaulting).
    pub config_default: &'static str,
    /// Value of an unset flag for a kubelet without `--config`.
    pub flag_default: &'static str,
    /// The value to set.
    pub wanted: &'static str,
    /// Whether a value (as its string form) is insecure.
    pub insecure: fn(&str) -> bool,
    /// Short reason, such as `the kubelet accepts anonymous requests`.
    pub reason: &'static str,
    /// Why the value matters, appended to the help.
    pub why: &'static str,
}

/// Runs a setting's check over every KubeletConfiguration and every kubelet command line.
pub(crate) fn check(cx: &Cx<'_, '_>, sink: &mut Sink, setting: &KubeletSetting) {
    for resource in kubelet_configs(cx) {
        check_config(cx, sink, resource, setting);
    }
    super::each_component(cx, ComponentKind::Kubelet, |resource, comp| {
        let has_config = !matches!(comp.setting("config"), Setting::Default);
        let current = comp.setting(setting.flag);
        let value = match &current {
            Setting::Default if has_config => return,
            Setting::Default => setting.flag_default.to_owned(),
            other => other.value().unwrap_or("").to_owned(),
        };
        let value = normalise_bool(setting, value);
        if !(setting.insecure)(&value) {
            return;
        }
        let detail = match current {
            Setting::Flag(f) => format!("{} sets {}", comp.label(), f.display()),
            _ => format!(
                "{} runs without --config and --{} is not set and defaults to {}",
                comp.label(),
                setting.flag,
                setting.flag_default
            ),
        };
        super::report_flag(
            cx,
            sink,
            resource,
            comp,
            setting.flag,
            (
                format!("{}: {detail}", setting.reason),
                format!("set {} in {}; {}", comp.spell(setting.flag, setting.wanted), comp.where_flags(), setting.why),
            ),
            Some(setting.wanted),
        );
    });
}

/// Every KubeletConfiguration of the input.
pub(crate) fn kubelet_configs<'m, 's>(cx: &'m Cx<'_, 's>) -> impl Iterator<Item = &'m Resource<'s>> + 'm {
    super::config_objects(cx, "kubelet.config.k8s.io", "KubeletConfiguration")
}

/// The deepest key written along `path` (for findings about a missing field), or the `kind`.
pub(crate) fn nearest_key(resource: &Resource<'_>, path: &[&str]) -> ByteSpan {
    let mut node = resource.node;
    let mut span = resource.node.entry("kind").map_or(resource.node.span(), |(_, v)| v.span());
    for key in path {
        match node.entry(key) {
            Some((k, v)) => {
                span = k.span();
                node = v;
            }
            None => break,
        }
    }
    span
}

fn check_config(cx: &Cx<'_, '_>, sink: &mut Sink, resource: &Resource<'_>, setting: &KubeletSetting) {
    let dotted = setting.field.join(".");
    let node = resource.node.at(setting.field);
    let value = node.and_then(|n| n.str()).unwrap_or(setting.config_default);
    if !(setting.insecure)(value) {
        return;
    }
    let text = cx.text(resource);
    let help = format!("set {dotted}: {} in the KubeletConfiguration; {}", setting.wanted, setting.why);
    match node {
        Some(node) => {
            sink.report(
                resource,
                node.span(),
                resource.path(&dotted),
                format!("{}: the KubeletConfiguration sets {dotted}: {value}", setting.reason),
                help,
            )
            .fix(format!("set {dotted}: {}", setting.wanted), fix::replace(node, setting.wanted));
        }
        None => {
            let reported = sink.report(
                resource,
                nearest_key(resource, setting.field),
                resource.path(&dotted),
                format!(
                    "{}: the KubeletConfiguration does not set {dotted}, which defaults to {value}",
                    setting.reason
                ),
                help,
            );
            if let Some(edits) = fix::insert(text, resource.node, setting.field, setting.wanted) {
                reported.fix(format!("add {dotted}: {}", setting.wanted), edits);
            }
        }
    }
}

/// A boolean flag reads `1`, `t`, `True`… as Go's `strconv.ParseBool` does.
fn normalise_bool(setting: &KubeletSetting, value: String) -> String {
    if !matches!(setting.wanted, "true" | "false") {
        return value;
    }
    match crate::model::component::parse_go_bool(&value) {
        Some(b) => b.to_string(),
        None => value,
    }
}
