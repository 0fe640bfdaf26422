//! `invalid-quantity`: a resource quantity that does not parse.

use crate::report::Severity;
use crate::rules::{Check, Cx, Docs, Family, Rule, Sink, Tier, Versioned};
use crate::schema::{self, ProblemKind};

pub static RULE: Rule = Rule {
    id: "invalid-quantity",
    family: Family::Schema,
    severity: Severity::Error,
    tier: Tier::Always,
    summary: "A resource quantity the API server cannot parse, such as `cpu: 1.5.0` or `memory: 1GB`.",
    docs: docs! {
        what: "Checks every quantity (resource requests and limits, volume sizes, quotas, `emptyDir.sizeLimit`) \
               with the grammar of apimachinery's `resource.ParseQuantity`: a number (`1`, `0.5`, `.5`) with an \
               optional suffix, binary (`Ki`, `Mi`, `Gi`, `Ti`, `Pi`, `Ei`), decimal (`n`, `u`, `m`, `k`, `M`, \
               `G`, `T`, `P`, `E`) or an exponent (`1e3`). `1GB`, `1K`, `1.5.0` and `500 m` are not quantities. \
               Quantities in the `status` of a built-in kind are checked too: the API server parses them \
               when it decodes the object, before it resets the status.",
        why: "The API server rejects the object (`quantities must match the regular expression`), and the \
              usual typos (`1GB`, `1K`) would mean something else than intended if they parsed at all: \
              `1G` is 10^9 bytes, `1Gi` is 2^30.",
        fail: r#"apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx:1.27
    resources:
      limits:
        memory: 512MB
"#,
        pass: r#"apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: app
    image: nginx:1.27
    resources:
      limits:
        memory: 512Mi
"#,
        fix: "Write the quantity with a supported suffix: `512Mi` (mebibytes), `500m` (half a CPU), `2`.",
        references: &[
            "https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/",
            "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#resource-units-in-kubernetes",
        ],
    },
    aliases: &[],
    pss: None,
    checks: &[Versioned::since(super::SINCE, Check::Global(check))],
    fix: Some(crate::fix::Applicability::Safe),
};

fn check(cx: &Cx<'_, '_>, sink: &mut Sink) {
    schema::report(cx, sink, ProblemKind::InvalidQuantity);
}
