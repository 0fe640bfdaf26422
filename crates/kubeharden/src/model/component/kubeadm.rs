//! Components described by kubeadm configuration files (`ClusterConfiguration`,
//! `InitConfiguration`, `JoinConfiguration`), with the flags kubeadm adds to them.

use super::{Component, ComponentKind, Flag, Origin};
use crate::model::Resource;
use crate::model::resource::join_path;

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

/// A kubeadm section: component, path of its section, keys of its arguments, kubeadm's flags.
type Section =
    (ComponentKind, &'static [&'static str], &'static [&'static str], &'static [(&'static str, &'static str)]);

/// The components a kubeadm configuration describes.
pub(super) fn from_kubeadm<'s>(resource: &Resource<'s>, out: &mut Vec<Component<'s>>) {
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
