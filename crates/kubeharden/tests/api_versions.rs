//! Built-in kinds and their API versions: the table read from the generated schema agrees with the Kubernetes
//! OpenAPI definitions of every release in `../shared/schemas/kubernetes`, and an object under a
//! version that does not serve its kind is linted as the nearest served version reads it.

use std::collections::BTreeSet;
use std::path::PathBuf;

use kubeharden::model::builtin_kinds;
use kubeharden::{Config, KubeVersion, lint_str};

fn schemas_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/schemas/kubernetes")
}

/// Kinds of the definitions that are not objects one writes in a manifest.
fn is_meta_kind(kind: &str) -> bool {
    kind.ends_with("List")
        || matches!(kind, "DeleteOptions" | "WatchEvent" | "Status" | "APIGroup" | "APIResourceList" | "APIVersions")
}

/// `(kind, apiVersion)` of every top-level definition of one release.
fn served_by_release(minor: u16) -> BTreeSet<(String, String)> {
    let path = schemas_dir().join(format!("v1.{minor}.json"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (the shared OpenAPI definitions are required)", path.display()));
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut out = BTreeSet::new();
    for schema in doc["$defs"].as_object().unwrap().values() {
        for gvk in schema["x-kubernetes-group-version-kind"].as_array().into_iter().flatten() {
            let (group, version, kind) =
                (gvk["group"].as_str().unwrap(), gvk["version"].as_str().unwrap(), gvk["kind"].as_str().unwrap());
            if is_meta_kind(kind) {
                continue;
            }
            let api = if group.is_empty() { version.to_owned() } else { format!("{group}/{version}") };
            out.insert((kind.to_owned(), api));
        }
    }
    out
}

#[test]
fn the_table_serves_exactly_what_each_release_serves() {
    for minor in 25..=37 {
        let expected = served_by_release(minor);
        let table: BTreeSet<(String, String)> = builtin_kinds::kinds()
            .iter()
            .flat_map(|k| {
                k.served_at(KubeVersion::v1(minor)).map(move |v| (k.name.to_owned(), v.api_version.to_owned()))
            })
            .collect();
        let missing: Vec<_> = expected.difference(&table).collect();
        let extra: Vec<_> = table.difference(&expected).collect();
        assert!(missing.is_empty() && extra.is_empty(), "v1.{minor}: missing {missing:?}, not served {extra:?}");
    }
    // Preference order: stable before beta before alpha, then newer before older.
    let rank = |v: &str| {
        let version = builtin_kinds::split(v).1;
        let stability = if version.contains("alpha") {
            0
        } else if version.contains("beta") {
            1
        } else {
            2
        };
        let digits: Vec<u32> = version.split(|c: char| !c.is_ascii_digit()).filter_map(|d| d.parse().ok()).collect();
        (stability, digits)
    };
    for kind in builtin_kinds::kinds() {
        let ranks: Vec<_> = kind
            .versions
            .iter()
            .filter(|v| v.group() == kind.versions[0].group())
            .map(|v| rank(v.api_version))
            .collect();
        assert!(ranks.windows(2).all(|w| w[0] >= w[1]), "{}: versions out of preference order", kind.name);
    }
}

fn rules_of(text: &str) -> Vec<String> {
    let report = lint_str("d.yaml", text, &Config::default());
    report.findings.iter().map(|f| format!("{} {}", f.rule, f.path)).collect()
}

#[test]
fn an_unknown_version_is_linted_as_the_nearest_served_one() {
    let body = "kind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  template:\n    spec:\n      hostNetwork: true\n      containers:\n      - name: app\n        image: nginx:1.27\n        securityContext: {privileged: true}\n";
    let served = rules_of(&format!("apiVersion: apps/v1\n{body}"));
    for api in ["app/v1", "v1", "apps/v2", "core/v1"] {
        let mut typo = rules_of(&format!("apiVersion: {api}\n{body}"));
        assert!(typo.iter().any(|r| r == "unknown-api-version apiVersion"), "{api}: {typo:?}");
        typo.retain(|r| !r.starts_with("unknown-api-version"));
        // Every finding of the served version, the pod template's included.
        assert_eq!(typo, served, "{api}");
    }
    assert!(served.iter().any(|r| r.starts_with("pss-privileged ")), "{served:?}");
    // The finding names the versions that serve the kind, and fixes the apiVersion.
    let report = lint_str("d.yaml", &format!("apiVersion: app/v1\n{body}"), &Config::default());
    let f = report.findings.iter().find(|f| f.rule == "unknown-api-version").unwrap();
    assert_eq!(
        f.message,
        "app/v1 does not serve kind Deployment: the API server rejects this object; it is linted as apps/v1"
    );
    assert_eq!(f.help, "use apiVersion: apps/v1");
    assert_eq!(f.resource.api_version.as_deref(), Some("app/v1"), "the report shows what is written");
    assert_eq!(f.fix.as_ref().map(|x| x.edits[0].text.as_str()), Some("apps/v1"));
    assert_eq!((f.span.start.line, f.span.start.column, f.span.end.column), (1, 13, 19));
}
