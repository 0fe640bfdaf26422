//! Control-plane and node components found in the input, with their command-line flags.
//!
//! A component is recognised by its command in a container of any pod spec (a static Pod such
//! as kubeadm writes, or a workload template): `kube-apiserver`, `/usr/local/bin/kube-apiserver`,
//! `hyperkube apiserver`, or a `sh -c "exec kube-apiserver …"` script. kubeadm configuration
//! files describe components too: `ClusterConfiguration` (`apiServer`, `controllerManager`,
//! `scheduler`, `etcd.local` extra arguments, as a map in v1beta3 and before, as a list of
//! `{name, value}` in v1beta4) and `InitConfiguration`/`JoinConfiguration`
//! (`nodeRegistration.kubeletExtraArgs`). kubeadm adds its own flags to the ones written there;
//! they are kept as [`Component::implied`] so that an absent flag reads as kubeadm would write it.
//!
//! Flags are read the way the components read them: `--flag=value`, `--flag value` (never for
//! a boolean flag), `--flag` alone for a boolean, `-flag` (Go's `flag` package, which etcd
//! uses), `_` and `-` alike in names (the Kubernetes components normalise them), repeated flags
//! (the last value wins; list flags such as `--enable-admission-plugins` accumulate), and `--`
//! ending the flags. etcd also reads `ETCD_<FLAG>` environment variables, which its flags
//! override.

mod flags;
mod kubeadm;
mod shell;

use flags::parse_flags;
pub use flags::parse_go_bool;
use kubeadm::from_kubeadm;
use shell::{from_script, is_shell};

use super::{Model, Resource, ResourceId};
use crate::source::scalar::ScalarStyle;
use crate::source::{ByteSpan, NodeRef};

/// The components whose configuration the control-plane rules read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ComponentKind {
    ApiServer,
    ControllerManager,
    Scheduler,
    Etcd,
    Kubelet,
}

impl ComponentKind {
    /// The binary's name.
    pub fn binary(self) -> &'static str {
        match self {
            ComponentKind::ApiServer => "kube-apiserver",
            ComponentKind::ControllerManager => "kube-controller-manager",
            ComponentKind::Scheduler => "kube-scheduler",
            ComponentKind::Etcd => "etcd",
            ComponentKind::Kubelet => "kubelet",
        }
    }

    /// The component a binary (or `hyperkube` sub-command) name runs.
    pub fn from_binary(name: &str) -> Option<Self> {
        Some(match name {
            "kube-apiserver" | "apiserver" => ComponentKind::ApiServer,
            "kube-controller-manager" | "controller-manager" => ComponentKind::ControllerManager,
            "kube-scheduler" | "scheduler" => ComponentKind::Scheduler,
            "etcd" => ComponentKind::Etcd,
            "kubelet" => ComponentKind::Kubelet,
            _ => return None,
        })
    }
}

/// Where a component's flags are written.
#[derive(Clone, Debug)]
pub enum Origin<'s> {
    /// A container's `command`/`args` (and `env` for etcd).
    Container {
        name: &'s str,
        /// The list new flags can be added to (the command list holding the binary), and the
        /// index of the binary in it; `None` when the command is a shell script.
        list: Option<(NodeRef<'s>, usize)>,
    },
    /// A kubeadm `extraArgs` (or `kubeletExtraArgs`) section.
    Kubeadm {
        /// The mapping that holds (or would hold) the arguments: `apiServer`, `etcd.local`,
        /// `nodeRegistration`, or the document root when that section is missing.
        parent: NodeRef<'s>,
        /// Keys from `parent` down to the arguments, such as `["extraArgs"]`.
        keys: Vec<&'static str>,
        /// Path of the arguments, such as `apiServer.extraArgs`.
        path: String,
        /// `extraArgs` is a list of `{name, value}` (kubeadm v1beta4).
        list_form: bool,
    },
}

/// One flag as the component reads it.
#[derive(Clone, Debug)]
pub struct Flag {
    /// Name without leading dashes, normalised as the component does.
    pub name: String,
    /// The value; `None` for a boolean flag written alone.
    pub value: Option<String>,
    /// The argument (and its value, when it is the next argument).
    pub span: ByteSpan,
    /// The value's text in the source, when it can be edited in place.
    pub value_span: Option<ByteSpan>,
    /// Path of the argument, such as `spec.containers[0].command[3]`.
    pub path: String,
    /// Read from an `ETCD_*` environment variable.
    pub from_env: bool,
}

impl Flag {
    /// The value of a boolean flag as Go's `strconv.ParseBool` reads it; a flag alone is true.
    pub fn bool(&self) -> Option<bool> {
        match self.value.as_deref() {
            None => Some(true),
            Some(v) => parse_go_bool(v),
        }
    }

    pub fn value(&self) -> &str {
        self.value.as_deref().unwrap_or("true")
    }

    /// How the flag is written in messages: `--anonymous-auth=true`.
    pub fn display(&self) -> String {
        if self.from_env {
            return format!("ETCD_{}={}", self.name.replace('-', "_").to_ascii_uppercase(), self.value());
        }
        match &self.value {
            Some(v) => format!("--{}={v}", self.name),
            // A boolean flag written alone is true (it never takes the next argument).
            None => format!("--{} (true)", self.name),
        }
    }
}

/// The value a component runs with for one flag.
#[derive(Clone, Copy, Debug)]
pub enum Setting<'c> {
    /// Written in the input.
    Flag(&'c Flag),
    /// Not written, but added by the tool that writes the command line (kubeadm).
    Implied(&'static str),
    /// Not written: the component's built-in default applies.
    Default,
}

impl Setting<'_> {
    /// The value as a string: the flag's, the implied one, or `None` for the default.
    pub fn value(&self) -> Option<&str> {
        match self {
            Setting::Flag(f) => Some(f.value()),
            Setting::Implied(v) => Some(v),
            Setting::Default => None,
        }
    }

    /// A boolean flag's value, or `default` when it is not written.
    pub fn bool_or(&self, default: bool) -> Option<bool> {
        match self {
            Setting::Flag(f) => f.bool(),
            Setting::Implied(v) => parse_go_bool(v),
            Setting::Default => Some(default),
        }
    }
}

/// A component of the input with its flags.
#[derive(Clone, Debug)]
pub struct Component<'s> {
    pub kind: ComponentKind,
    pub resource: ResourceId,
    pub origin: Origin<'s>,
    /// Flags in the order the component reads them (environment first, then arguments).
    pub flags: Vec<Flag>,
    /// Flags the writing tool adds when they are not written (kubeadm's defaults).
    pub implied: &'static [(&'static str, &'static str)],
    /// Where a finding about an absent flag points, and its path.
    pub anchor: ByteSpan,
    pub anchor_path: String,
}

impl<'s> Component<'s> {
    /// The last occurrence of a flag, or what the writing tool implies, or the default.
    pub fn setting(&self, name: &str) -> Setting<'_> {
        if let Some(flag) = self.flags.iter().rev().find(|f| f.name == name) {
            return Setting::Flag(flag);
        }
        match self.implied.iter().find(|(n, _)| *n == name) {
            Some((_, v)) => Setting::Implied(v),
            None => Setting::Default,
        }
    }

    /// The flag has a non-empty value, written or implied.
    pub fn is_set(&self, name: &str) -> bool {
        self.setting(name).value().is_some_and(|v| !v.trim().is_empty())
    }

    /// Every occurrence of a flag, in order.
    pub fn all(&self, name: &str) -> impl Iterator<Item = &Flag> {
        let name = name.to_owned();
        self.flags.iter().filter(move |f| f.name == name)
    }

    /// A list flag (`--enable-admission-plugins=A,B`): repeated occurrences accumulate, as
    /// pflag's string slices do. The implied value applies only when the flag is not written.
    pub fn list(&self, name: &str) -> Vec<(String, Option<&Flag>)> {
        let written: Vec<&Flag> = self.all(name).collect();
        if written.is_empty() {
            return match self.setting(name) {
                Setting::Implied(v) => split_list(v).map(|s| (s.to_owned(), None)).collect(),
                _ => Vec::new(),
            };
        }
        written.into_iter().flat_map(|f| split_list(f.value()).map(move |s| (s.to_owned(), Some(f)))).collect()
    }

    /// `kube-apiserver in container "kube-apiserver"` or `kube-apiserver (kubeadm apiServer.extraArgs)`.
    pub fn label(&self) -> String {
        match &self.origin {
            Origin::Container { name, .. } => format!("{} in container {name:?}", self.kind.binary()),
            Origin::Kubeadm { path, .. } => format!("{} (kubeadm {path})", self.kind.binary()),
        }
    }

    /// Where flags are written, for help texts: `the command` or `apiServer.extraArgs`.
    pub fn where_flags(&self) -> String {
        match &self.origin {
            Origin::Container { .. } => "the command".to_owned(),
            Origin::Kubeadm { path, .. } => path.clone(),
        }
    }

    /// How a flag is spelled where this component's flags are written.
    pub fn spell(&self, name: &str, value: &str) -> String {
        if self.all(name).last().is_some_and(|f| f.from_env) {
            return format!("ETCD_{}=\"{value}\"", name.replace('-', "_").to_ascii_uppercase());
        }
        match &self.origin {
            Origin::Container { .. } => format!("--{name}={value}"),
            Origin::Kubeadm { list_form: true, .. } => format!("{{name: {name}, value: \"{value}\"}}"),
            Origin::Kubeadm { .. } => format!("{name}: \"{value}\""),
        }
    }

    /// The flags are kubeadm arguments (string values in a configuration file).
    pub fn is_kubeadm(&self) -> bool {
        matches!(self.origin, Origin::Kubeadm { .. })
    }
}

fn split_list(value: &str) -> impl Iterator<Item = &str> {
    value.split(',').map(str::trim).filter(|s| !s.is_empty())
}

/// Every component of the input, in resource order (the model keeps them: see
/// [`Model::components`]).
pub(crate) fn find<'s>(model: &Model<'s>) -> Vec<Component<'s>> {
    let mut out = Vec::new();
    for resource in &model.resources {
        let text = model.sources.get(resource.source).map_or("", |s| s.text.as_str());
        if let Some(pod) = model.pod(resource.id) {
            for c in pod.containers() {
                if let Some(component) = from_container(resource, c, text) {
                    out.push(component);
                }
            }
        }
        if resource.group() == "kubeadm.k8s.io" {
            from_kubeadm(resource, &mut out);
        }
    }
    out
}

/// Components of one kind.
pub fn of_kind<'m, 's>(model: &'m Model<'s>, kind: ComponentKind) -> impl Iterator<Item = &'m Component<'s>> + 'm {
    model.components.iter().filter(move |c| c.kind == kind)
}

/// An argument of a command line, with where it is written.
#[derive(Clone, Debug)]
struct Arg {
    text: String,
    span: ByteSpan,
    /// Byte offset of `text` in the source, when it is written there verbatim.
    verbatim: Option<usize>,
    path: String,
}

/// The offset of a scalar's text in the source, when the source holds it verbatim (plain and
/// quoted scalars on one line without escapes).
fn verbatim_start(text: &str, node: NodeRef<'_>) -> Option<usize> {
    let value = node.text()?;
    let span = node.span();
    let raw = text.get(span.start as usize..span.end as usize)?;
    let (inner, offset) = match node.style()? {
        ScalarStyle::Plain => (raw, 0),
        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => (raw.get(1..raw.len().checked_sub(1)?)?, 1),
        ScalarStyle::Literal | ScalarStyle::Folded => return None,
    };
    (inner == value).then_some(span.start as usize + offset)
}

fn args_of(text: &str, list: NodeRef<'_>, path: &str) -> Vec<Arg> {
    list.items()
        .enumerate()
        .map(|(i, item)| Arg {
            text: item.str().unwrap_or("").to_owned(),
            span: item.span(),
            verbatim: verbatim_start(text, item),
            path: format!("{path}[{i}]"),
        })
        .collect()
}

fn basename(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

fn from_container<'s>(resource: &Resource<'s>, c: &super::Container<'s>, text: &str) -> Option<Component<'s>> {
    // Without `command`, `args` follow the image's entrypoint, which the manifest does not
    // show: the first argument is not a binary.
    let command = c.node.field("command")?;
    // Most containers run something else: look at the binary before reading any argument.
    let first = basename(command.items().next()?.str()?);
    if ComponentKind::from_binary(first).is_none() && first != "hyperkube" && !is_shell(first) {
        return None;
    }
    let args = c.node.field("args");
    let command_args = args_of(text, command, &c.field_path("command"));
    let arg_args = args.map(|l| args_of(text, l, &c.field_path("args"))).unwrap_or_default();
    let argv: Vec<Arg> = command_args.iter().chain(arg_args.iter()).cloned().collect();
    let anchor_key = c.node.entry("command").map(|(k, _)| k);
    let anchor_path = c.field_path("command");

    // The binary is the first word; `hyperkube <component>` runs a component too.
    let binary = basename(&argv.first()?.text);
    if binary.starts_with('-') {
        return None;
    }
    let (kind, flags_from, list) = if binary == "hyperkube" {
        let kind = ComponentKind::from_binary(argv.get(1)?.text.as_str())?;
        (kind, 2, (command_args.len() >= 2).then_some((command, 1)))
    } else if is_shell(binary) {
        let (kind, script_args) = from_script(&argv, text)?;
        let flags = parse_flags(kind, &script_args);
        return Some(container_component(resource, c, kind, flags, None, anchor_key, anchor_path));
    } else {
        let kind = ComponentKind::from_binary(binary)
            .filter(|_| !matches!(binary, "apiserver" | "scheduler" | "controller-manager"))?;
        (kind, 1, Some((command, 0)))
    };
    let mut flags = if kind == ComponentKind::Etcd { env_flags(c, text) } else { Vec::new() };
    flags.extend(parse_flags(kind, argv.get(flags_from..).unwrap_or(&[])));
    Some(container_component(resource, c, kind, flags, list, anchor_key, anchor_path))
}

fn container_component<'s>(
    resource: &Resource<'s>,
    c: &super::Container<'s>,
    kind: ComponentKind,
    flags: Vec<Flag>,
    list: Option<(NodeRef<'s>, usize)>,
    anchor_key: Option<NodeRef<'s>>,
    anchor_path: String,
) -> Component<'s> {
    Component {
        kind,
        resource: resource.id,
        origin: Origin::Container { name: c.name, list },
        flags,
        implied: &[],
        anchor: anchor_key.map_or_else(|| c.anchor(), |k| k.span()),
        anchor_path,
    }
}

/// etcd reads `ETCD_<FLAG>` variables for flags not given on the command line.
fn env_flags<'s>(c: &super::Container<'s>, text: &str) -> Vec<Flag> {
    let Some(env) = c.node.field("env") else {
        return Vec::new();
    };
    env.items()
        .enumerate()
        .filter_map(|(i, item)| {
            let name = item.field("name")?.str()?;
            let flag = name.strip_prefix("ETCD_")?.to_ascii_lowercase().replace('_', "-");
            let value = item.field("value")?;
            Some(Flag {
                name: flag,
                value: Some(value.str().unwrap_or("").to_owned()),
                span: value.span(),
                value_span: verbatim_start(text, value).map(|s| ByteSpan::new(s, s + value.text().unwrap_or("").len())),
                path: c.field_path(&format!("env[{i}].value")),
                from_env: true,
            })
        })
        .collect()
}
