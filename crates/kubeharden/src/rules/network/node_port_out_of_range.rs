//! `node-port-out-of-range`: a Service's nodePort outside the node port range.

use crate::model::Resource;
use crate::model::schema::describe;
use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};

pub static RULE: Rule = Rule {
    id: "node-port-out-of-range",
    family: Family::Network,
    severity: Severity::Error,
    tier: Tier::Always,
    summary: "A Service's nodePort is outside the default node port range 30000-32767 (or not a port at all).",
    docs: docs! {
        what: "Reports each `spec.ports[].nodePort` of a Service that is not an integer, is outside 1-65535, or \
               is outside 30000-32767, the API server's default `--service-node-port-range`, at the value. `0` is the \
               field's zero value (the API server allocates a port) and is accepted.",
        why: "The API server rejects a nodePort outside its configured range, so the Service is not created (or \
              not updated) and traffic never reaches the pods. Clusters that widen the range to reach low \
              ports let Services bind node ports that host daemons (SSH, the kubelet on 10250) or other \
              components expect.",
        fail: r#"apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  selector: {app: web}
  ports:
  - port: 80
    nodePort: 8080
"#,
        pass: r#"apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  selector: {app: web}
  ports:
  - port: 80
    nodePort: 30080
"#,
        fix: "Pick a nodePort between 30000 and 32767, or leave it out and let the API server allocate one.",
        references: &[
            "https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport",
            "https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/",
        ],
    },
    aliases: &[],
    pss: None,
    checks: &[Versioned::always(Check::Resource(check))],
    fix: None,
};

fn check(_cx: &Cx<'_, '_>, resource: &Resource<'_>, sink: &mut Sink) {
    if !resource.is("", "Service") {
        return;
    }
    let Some(ports) = resource.node.at(&["spec", "ports"]) else { return };
    for (i, port) in ports.items().enumerate() {
        let Some(value) = port.field("nodePort") else { continue };
        let path = resource.path(&format!("spec.ports[{i}].nodePort"));
        let (message, help) = match value.int() {
            None => (
                format!("`nodePort` must be an integer, not {}: the API server rejects this Service", describe(value)),
                "write the port number without quotes, or leave nodePort out",
            ),
            // 0 is the field's zero value: the API server allocates a port, as when it is absent.
            Some(0) => continue,
            Some(n) if !(1..=65535).contains(&n) => (
                format!("nodePort {n} is not a port number (1-65535): the API server rejects this Service"),
                "pick a nodePort between 30000 and 32767, or leave it out",
            ),
            Some(n) if !(30000..=32767).contains(&n) => (
                format!(
                    "nodePort {n} is outside the default node port range 30000-32767: the API server rejects it unless the cluster widens --service-node-port-range"
                ),
                "pick a nodePort between 30000 and 32767, or leave it out and let the API server allocate one",
            ),
            Some(_) => continue,
        };
        sink.report(resource, value.span(), path, message, help);
    }
}
