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

use super::resource::join_path;
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

    /// The Kubernetes components parse flags with pflag and treat `_` as `-`; etcd uses Go's
    /// `flag` package, which does neither.
    fn normalises_names(self) -> bool {
        self != ComponentKind::Etcd
    }

    /// Boolean flags take no separate value: `--profiling false` sets profiling to true and
    /// leaves `false` as a positional argument.
    fn is_bool_flag(self, name: &str) -> bool {
        let common =
            ["profiling", "contention-profiling", "logtostderr", "alsologtostderr", "leader-elect", "help", "version"];
        if common.contains(&name) {
            return true;
        }
        let specific: &[&str] = match self {
            ComponentKind::ApiServer => &[
                "anonymous-auth",
                "allow-privileged",
                "enable-bootstrap-token-auth",
                "enable-aggregator-routing",
                "enable-garbage-collector",
                "enable-priority-and-fairness",
                "enable-logs-handler",
                "audit-log-compress",
                "kubelet-https",
                "service-account-lookup",
                "service-account-extend-token-expiration",
                "watch-cache",
            ],
            ComponentKind::ControllerManager => &[
                "use-service-account-credentials",
                "allocate-node-cidrs",
                "configure-cloud-routes",
                "enable-hostpath-provisioner",
                "enable-dynamic-provisioning",
                "enable-garbage-collector",
                "enable-taint-manager",
            ],
            ComponentKind::Scheduler => &[],
            ComponentKind::Etcd => &[
                "client-cert-auth",
                "peer-client-cert-auth",
                "auto-tls",
                "peer-auto-tls",
                "enable-v2",
                "enable-pprof",
                "strict-reconfig-check",
                "debug",
                "force-new-cluster",
                "experimental-initial-corrupt-check",
                "experimental-enable-lease-checkpoint",
            ],
            ComponentKind::Kubelet => &[
                "anonymous-auth",
                "rotate-certificates",
                "rotate-server-certificates",
                "protect-kernel-defaults",
                "make-iptables-util-chains",
                "register-node",
                "register-schedulable",
                "fail-swap-on",
                "serialize-image-pulls",
                "enable-server",
                "enable-debugging-handlers",
                "cgroups-per-qos",
                "exit-on-lock-contention",
                "kernel-memcg-notification",
            ],
        };
        specific.contains(&name)
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

/// Go's `strconv.ParseBool`.
pub fn parse_go_bool(text: &str) -> Option<bool> {
    match text {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
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

/// kubeadm's own flags for each component, which `extraArgs` override by name.
/// (cmd/kubeadm/app/phases/controlplane/manifests.go and etcd/local.go; paths omitted.)
const KUBEADM_APISERVER: &[(&str, &str)] = &[
    ("authorization-mode", "Node,RBAC"),
    // Until the flag was removed (v1.24), kubeadm turned the insecure port off.
    ("insecure-port", "0"),
    ("enable-admission-plugins", "NodeRestriction"),
    ("allow-privileged", "true"),
    ("enable-bootstrap-token-auth", "true"),
    ("client-ca-file", "/etc/kubernetes/pki/ca.crt"),
    ("tls-cert-file", "/etc/kubernetes/pki/apiserver.crt"),
    ("tls-private-key-file", "/etc/kubernetes/pki/apiserver.key"),
    ("kubelet-client-certificate", "/etc/kubernetes/pki/apiserver-kubelet-client.crt"),
    ("kubelet-client-key", "/etc/kubernetes/pki/apiserver-kubelet-client.key"),
    ("service-account-key-file", "/etc/kubernetes/pki/sa.pub"),
    ("service-account-signing-key-file", "/etc/kubernetes/pki/sa.key"),
    ("etcd-cafile", "/etc/kubernetes/pki/etcd/ca.crt"),
    ("etcd-certfile", "/etc/kubernetes/pki/apiserver-etcd-client.crt"),
    ("etcd-keyfile", "/etc/kubernetes/pki/apiserver-etcd-client.key"),
];
const KUBEADM_CONTROLLER_MANAGER: &[(&str, &str)] = &[
    ("use-service-account-credentials", "true"),
    ("bind-address", "127.0.0.1"),
    ("leader-elect", "true"),
    ("kubeconfig", "/etc/kubernetes/controller-manager.conf"),
    ("authentication-kubeconfig", "/etc/kubernetes/controller-manager.conf"),
    ("authorization-kubeconfig", "/etc/kubernetes/controller-manager.conf"),
    ("root-ca-file", "/etc/kubernetes/pki/ca.crt"),
    ("service-account-private-key-file", "/etc/kubernetes/pki/sa.key"),
    ("controllers", "*,bootstrapsigner,tokencleaner"),
];
const KUBEADM_SCHEDULER: &[(&str, &str)] = &[
    ("bind-address", "127.0.0.1"),
    ("leader-elect", "true"),
    ("kubeconfig", "/etc/kubernetes/scheduler.conf"),
    ("authentication-kubeconfig", "/etc/kubernetes/scheduler.conf"),
    ("authorization-kubeconfig", "/etc/kubernetes/scheduler.conf"),
];
const KUBEADM_ETCD: &[(&str, &str)] = &[
    ("cert-file", "/etc/kubernetes/pki/etcd/server.crt"),
    ("key-file", "/etc/kubernetes/pki/etcd/server.key"),
    ("trusted-ca-file", "/etc/kubernetes/pki/etcd/ca.crt"),
    ("client-cert-auth", "true"),
    ("peer-cert-file", "/etc/kubernetes/pki/etcd/peer.crt"),
    ("peer-key-file", "/etc/kubernetes/pki/etcd/peer.key"),
    ("peer-trusted-ca-file", "/etc/kubernetes/pki/etcd/ca.crt"),
    ("peer-client-cert-auth", "true"),
];
/// kubeadm runs the kubelet with the KubeletConfiguration file it writes.
const KUBEADM_KUBELET: &[(&str, &str)] = &[("config", "/var/lib/kubelet/config.yaml")];

/// Every component of the input, in resource order (the model keeps them: see
/// [`Model::components`]).
pub(crate) fn find<'s>(model: &Model<'s>) -> Vec<Component<'s>> {
    let mut out = Vec::new();
    for resource in &model.resources {
        let text = model.sources.get(resource.source).map_or("", |s| s.text.as_str());
        if let Some(pod) = model.pod(resource.id) {
            for c in pod.containers() {
                if let Some(component) = from_container(resource, &c, text) {
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

fn is_shell(word: &str) -> bool {
    matches!(basename(word), "sh" | "bash" | "ash" | "dash" | "zsh" | "busybox")
}

/// `sh -c "script"`: finds a component's command in the script. Arguments keep the position
/// of their text in the source when it can be found there, else the script's.
fn from_script(argv: &[Arg], text: &str) -> Option<(ComponentKind, Vec<Arg>)> {
    let mut iter = argv.iter().skip(1);
    let mut script = None;
    // The script follows the first short-option cluster holding `c` (`-c`, `-ec`, `-xc`);
    // words before it are other options or `busybox sh`.
    for arg in iter.by_ref() {
        if arg.text.starts_with('-') && !arg.text.starts_with("--") && arg.text.contains('c') {
            script = iter.next();
            break;
        }
    }
    let script = script?;
    let raw_source = text.get(script.span.start as usize..script.span.end as usize).unwrap_or("");
    for command in shell_commands(&script.text) {
        let mut words =
            command.iter().skip_while(|(w, _)| is_assignment(w) || matches!(w.as_str(), "exec" | "nohup" | "env"));
        let Some((binary, _)) = words.next() else {
            continue;
        };
        let Some(kind) = ComponentKind::from_binary(basename(binary)).filter(|_| basename(binary) != "apiserver")
        else {
            continue;
        };
        let mut cursor = 0usize;
        let args = words
            .map(|(word, raw)| {
                let found = raw_source.get(cursor..).and_then(|rest| rest.find(raw.as_str())).map(|i| cursor + i);
                let span = match found {
                    Some(i) => {
                        cursor = i + raw.len();
                        let start = script.span.start as usize + i;
                        ByteSpan::new(start, start + raw.len())
                    }
                    None => script.span,
                };
                Arg {
                    verbatim: (found.is_some() && raw == word).then_some(span.start as usize),
                    text: word.clone(),
                    span,
                    path: script.path.clone(),
                }
            })
            .collect();
        return Some((kind, args));
    }
    None
}

fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') && !name.starts_with('-')
    })
}

/// Splits a POSIX shell script into simple commands of (word, raw text) pairs: quotes,
/// backslashes, comments and the separators `;`, `&`, `|`, `&&`, `||` and newlines. Expansions
/// are kept as written.
fn shell_commands(script: &str) -> Vec<Vec<(String, String)>> {
    let mut commands = Vec::new();
    let mut words: Vec<(String, String)> = Vec::new();
    let mut word = String::new();
    let mut raw_start: Option<usize> = None;
    let mut in_word = false;
    let mut chars = script.char_indices().peekable();
    let finish = |words: &mut Vec<(String, String)>,
                  word: &mut String,
                  raw_start: &mut Option<usize>,
                  end: usize,
                  in_word: &mut bool| {
        if *in_word {
            let raw = raw_start.and_then(|s| script.get(s..end)).unwrap_or("").to_owned();
            words.push((std::mem::take(word), raw));
        }
        *raw_start = None;
        *in_word = false;
    };
    while let Some((i, ch)) = chars.next() {
        match ch {
            '\\' => {
                if !in_word {
                    raw_start = Some(i);
                }
                match chars.next() {
                    Some((_, '\n')) => {
                        if !in_word {
                            raw_start = None;
                        }
                        continue;
                    }
                    Some((_, next)) => word.push(next),
                    None => {}
                }
                in_word = true;
            }
            '\'' | '"' => {
                if !in_word {
                    raw_start = Some(i);
                }
                in_word = true;
                while let Some((_, c)) = chars.next() {
                    if c == ch {
                        break;
                    }
                    if c == '\\' && ch == '"' {
                        match chars.peek() {
                            Some(&(_, n)) if matches!(n, '"' | '\\' | '$' | '`') => {
                                word.push(n);
                                chars.next();
                                continue;
                            }
                            Some(&(_, '\n')) => {
                                chars.next();
                                continue;
                            }
                            _ => {}
                        }
                    }
                    word.push(c);
                }
            }
            '#' if !in_word => {
                for (_, c) in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
                finish(&mut words, &mut word, &mut raw_start, i, &mut in_word);
                commands.push(std::mem::take(&mut words));
            }
            ';' | '&' | '|' | '\n' => {
                finish(&mut words, &mut word, &mut raw_start, i, &mut in_word);
                if !words.is_empty() {
                    commands.push(std::mem::take(&mut words));
                }
            }
            c if c.is_whitespace() => finish(&mut words, &mut word, &mut raw_start, i, &mut in_word),
            c => {
                if !in_word {
                    raw_start = Some(i);
                }
                in_word = true;
                word.push(c);
            }
        }
    }
    finish(&mut words, &mut word, &mut raw_start, script.len(), &mut in_word);
    if !words.is_empty() {
        commands.push(words);
    }
    commands
}

/// Reads flags from the arguments after the binary.
fn parse_flags(kind: ComponentKind, args: &[Arg]) -> Vec<Flag> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        i += 1;
        let t = arg.text.as_str();
        if t == "--" {
            break;
        }
        let (body, dashes) = match t.strip_prefix("--") {
            Some(rest) => (rest, 2),
            None => match t.strip_prefix('-') {
                Some(rest) if !rest.is_empty() => (rest, 1),
                _ => continue,
            },
        };
        let (raw_name, value) = match body.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (body, None),
        };
        if raw_name.is_empty() {
            continue;
        }
        let name = if kind.normalises_names() { raw_name.replace('_', "-") } else { raw_name.to_owned() };
        let mut span = arg.span;
        let mut value_span = None;
        let value = match value {
            Some(v) => {
                value_span = arg.verbatim.map(|s| {
                    let start = s + dashes + raw_name.len() + 1;
                    ByteSpan::new(start, start + v.len())
                });
                Some(v.to_owned())
            }
            None if !kind.is_bool_flag(&name) => match args.get(i) {
                Some(next) if !next.text.starts_with('-') => {
                    i += 1;
                    span = ByteSpan::new(arg.span.start as usize, next.span.end.max(arg.span.end) as usize);
                    value_span = next.verbatim.map(|s| ByteSpan::new(s, s + next.text.len()));
                    Some(next.text.clone())
                }
                _ => None,
            },
            None => None,
        };
        out.push(Flag { name, value, span, value_span, path: arg.path.clone(), from_env: false });
    }
    out
}

/// A kubeadm section: component, path of its section, keys of its arguments, kubeadm's flags.
type Section =
    (ComponentKind, &'static [&'static str], &'static [&'static str], &'static [(&'static str, &'static str)]);

/// The components a kubeadm configuration describes.
fn from_kubeadm<'s>(resource: &Resource<'s>, out: &mut Vec<Component<'s>>) {
    let root = resource.node;
    let kind_anchor = root.entry("kind").map_or(root.span(), |(_, v)| v.span());
    let sections: &'static [Section] = match resource.kind() {
        "ClusterConfiguration" => &[
            (ComponentKind::ApiServer, &["apiServer"], &["extraArgs"], KUBEADM_APISERVER),
            (ComponentKind::ControllerManager, &["controllerManager"], &["extraArgs"], KUBEADM_CONTROLLER_MANAGER),
            (ComponentKind::Scheduler, &["scheduler"], &["extraArgs"], KUBEADM_SCHEDULER),
            (ComponentKind::Etcd, &["etcd", "local"], &["extraArgs"], KUBEADM_ETCD),
        ],
        "InitConfiguration" | "JoinConfiguration" => {
            &[(ComponentKind::Kubelet, &["nodeRegistration"], &["kubeletExtraArgs"], KUBEADM_KUBELET)]
        }
        _ => return,
    };
    let list_default =
        resource.version() != "v1beta1" && resource.version() != "v1beta2" && resource.version() != "v1beta3";
    for &(kind, section, keys, implied) in sections {
        let keys: &'static [&'static str] = keys;
        if kind == ComponentKind::Etcd && root.at(&["etcd", "external"]).is_some() {
            continue;
        }
        if kind == ComponentKind::Kubelet && root.at(&["nodeRegistration", "kubeletExtraArgs"]).is_none() {
            // Without extra arguments the kubelet runs from its KubeletConfiguration alone.
            continue;
        }
        // The deepest mapping written on the way to the arguments.
        let mut parent = root;
        let mut parent_keys: Vec<&'static str> = Vec::new();
        let mut anchor = kind_anchor;
        let mut written = true;
        for key in section.iter() {
            match parent.entry(key).filter(|(_, v)| v.is_map()) {
                Some((k, v)) if written => {
                    parent = v;
                    anchor = k.span();
                }
                _ => {
                    written = false;
                    parent_keys.push(*key);
                }
            }
        }
        let args_node = if written { parent.entry(keys.first().copied().unwrap_or("")) } else { None };
        if let Some((k, _)) = args_node {
            anchor = k.span();
        }
        let section_path = section.join(".");
        let path = resource.path(&join_path(&section_path, keys.first().copied().unwrap_or("")));
        let list_form = args_node.map_or(list_default, |(_, v)| v.is_seq());
        let mut flags = Vec::new();
        if let Some((_, args)) = args_node {
            if args.is_seq() {
                for (i, item) in args.items().enumerate() {
                    let Some(name) = item.field("name").and_then(|n| n.str()) else {
                        continue;
                    };
                    let value = item.field("value");
                    flags.push(Flag {
                        name: name.trim_start_matches('-').replace('_', "-"),
                        value: Some(value.and_then(|v| v.str()).unwrap_or("").to_owned()),
                        span: value.map_or(item.span(), |v| v.span()),
                        value_span: value.map(|v| v.span()),
                        path: format!("{path}[{i}].value"),
                        from_env: false,
                    });
                }
            } else {
                for (key, value) in args.entries() {
                    let Some(name) = key.key_str() else {
                        continue;
                    };
                    flags.push(Flag {
                        name: name.trim_start_matches('-').replace('_', "-"),
                        value: Some(value.str().unwrap_or("").to_owned()),
                        span: value.span(),
                        value_span: Some(value.span()),
                        path: join_path(&path, name),
                        from_env: false,
                    });
                }
            }
        }
        // Where a new argument goes: below the deepest mapping written.
        parent_keys.extend(keys.iter().copied());
        out.push(Component {
            kind,
            resource: resource.id,
            origin: Origin::Kubeadm { parent, keys: parent_keys, path: path.clone(), list_form },
            flags,
            implied,
            anchor,
            anchor_path: path,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(script: &str) -> Vec<Vec<String>> {
        shell_commands(script).into_iter().map(|c| c.into_iter().map(|(w, _)| w).collect()).collect()
    }

    #[test]
    fn splits_shell_scripts() {
        assert_eq!(
            words("set -e; exec kube-apiserver --a=1 \\\n  --b 'x y' \"--c=$X\" # done\necho ok"),
            vec![
                vec!["set", "-e"],
                vec!["exec", "kube-apiserver", "--a=1", "--b", "x y", "--c=$X"],
                vec![],
                vec!["echo", "ok"]
            ]
            .into_iter()
            .map(|c| c.into_iter().map(String::from).collect::<Vec<_>>())
            .filter(|c| !c.is_empty())
            .collect::<Vec<_>>()
        );
    }

    fn arg(text: &str) -> Arg {
        Arg { text: text.into(), span: ByteSpan::default(), verbatim: None, path: String::new() }
    }

    #[test]
    fn parses_flags_like_the_components() {
        let args: Vec<Arg> = [
            "--anonymous-auth",
            "false",
            "--authorization-mode",
            "RBAC",
            "-profiling=false",
            "--token_auth_file=/x",
            "--",
            "--audit-log-path=/y",
        ]
        .into_iter()
        .map(arg)
        .collect();
        let flags = parse_flags(ComponentKind::ApiServer, &args);
        let got: Vec<(&str, Option<&str>)> = flags.iter().map(|f| (f.name.as_str(), f.value.as_deref())).collect();
        assert_eq!(
            got,
            vec![
                ("anonymous-auth", None),
                ("authorization-mode", Some("RBAC")),
                ("profiling", Some("false")),
                ("token-auth-file", Some("/x")),
            ]
        );
        assert_eq!(flags.first().and_then(Flag::bool), Some(true));
        let etcd = parse_flags(ComponentKind::Etcd, &[arg("--cert_file=/c")]);
        assert_eq!(etcd.first().map(|f| f.name.as_str()), Some("cert_file"));
        assert_eq!(parse_go_bool("T"), Some(true));
        assert_eq!(parse_go_bool("yes"), None);
    }
}
