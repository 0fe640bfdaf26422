//! `invalid-network-policy`: a NetworkPolicy the API server rejects.

use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};
use crate::source::{ByteSpan, NodeRef};

pub static RULE: Rule = Rule {
    id: "invalid-network-policy",
    family: Family::Network,
    severity: Severity::Error,
    tier: Tier::Always,
    summary: "A NetworkPolicy has a structure the API server rejects, so it never takes effect.",
    docs: Docs {
        what: "Checks NetworkPolicies the way the API server decodes and validates them and reports each \
               problem at the offending line: `ingress`, `egress`, `from`, `to` or `ports` written as a mapping \
               where a list is required; a rule, peer or port that is not a mapping; an empty peer; an \
               `ipBlock` combined with selectors, with an invalid cidr, or with an `except` outside its \
               cidr; a port outside 1-65535, a quoted number (read as a port name), an invalid port name, an \
               `endPort` without a numeric port or below it; a protocol other than TCP, UDP or SCTP; \
               `policyTypes` values other than Ingress and Egress; invalid label selectors (unknown \
               operators, `In`/`NotIn` without values, `Exists`/`DoesNotExist` with values). The other network \
               rules ignore a rejected policy: it isolates nothing, so a namespace that relies on it has no \
               default deny.",
        why: "A rejected policy does not exist in the cluster. When it is applied in a batch, the apply fails \
              (or, with server-side apply of many objects, the rest goes through), and the pods it was meant \
              to protect stay open. Copied examples carry such mistakes: the NSA/CISA hardening guide's \
              egress example writes `egress:` as a mapping.",
        fail: "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny-external-egress\nspec:\n  podSelector: {}\n  policyTypes:\n  - Egress\n  egress:\n    to:\n    - namespaceSelector: {}\n",
        pass: "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny-external-egress\nspec:\n  podSelector: {}\n  policyTypes:\n  - Egress\n  egress:\n  - to:\n    - namespaceSelector: {}\n",
        fix: "Write `ingress`, `egress`, `from`, `to` and `ports` as lists (`- ` items), ports as unquoted numbers \
              or container port names, and one kind of peer per list item. The automatic fix turns a \
              mapping written where a list is required into a one-item list.",
        references: &[
            "https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/network-policy-v1/",
            "https://kubernetes.io/docs/concepts/services-networking/network-policies/",
            "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
        ],
    },
    aliases: &[],
    pss: None,
    checks: &[Versioned::always(Check::Global(check))],
};

fn check(cx: &Cx<'_, '_>, sink: &mut Sink) {
    for policy in &cx.model.network().policies {
        let Some(resource) = cx.model.resource(policy.resource) else { continue };
        for p in &policy.problems {
            let reported = sink.report(resource, p.node.span(), p.path.clone(), p.message.clone(), p.help.clone());
            if let Some(edits) = p.wrap.and_then(|map| wrap_in_list(cx.text(resource), map)) {
                reported.fix("make it a one-item list", edits);
            }
        }
    }
}

/// Turns a mapping into a one-item list: `{a: 1}` becomes `[{a: 1}]`; a block mapping gets a
/// `- ` before its first key and two more spaces before each of its following lines.
fn wrap_in_list(text: &str, map: NodeRef<'_>) -> Option<Vec<(ByteSpan, String)>> {
    let span = map.span();
    let start = span.start as usize;
    if text.get(start..)?.starts_with('{') {
        // The node's span ends with its last value; the closing brace follows.
        let after = map.entries().last().map_or(start + 1, |(_, v)| v.span().end as usize);
        let close = after + text.get(after..)?.find('}')? + 1;
        return Some(vec![(ByteSpan::new(start, start), "[".into()), (ByteSpan::new(close, close), "]".into())]);
    }
    let (first_key, _) = map.entries().next()?;
    let key_start = first_key.span().start as usize;
    let end = map.entries().last()?.1.span().end as usize;
    let mut edits = vec![(ByteSpan::new(key_start, key_start), "- ".to_owned())];
    let body = text.get(key_start..end)?;
    let mut offset = key_start;
    for line in body.split_inclusive('\n') {
        let next = offset + line.len();
        if next < end && text.get(next..)?.lines().next().is_some_and(|l| !l.trim().is_empty()) {
            edits.push((ByteSpan::new(next, next), "  ".to_owned()));
        }
        offset = next;
    }
    Some(edits)
}
