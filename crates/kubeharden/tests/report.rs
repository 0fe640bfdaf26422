//! How the engine assembles a report: which object a finding of the source layer belongs to,
//! the summary's counts, the finding that stands for those past a rule's cap, and findings
//! reached twice through an alias.

use kubeharden::report::{Finding, Report};
use kubeharden::{Config, Limits, Source, lint, lint_str};

fn of<'a>(report: &'a Report, rule: &str) -> Vec<&'a Finding> {
    report.findings.iter().filter(|f| f.rule == rule).collect()
}

fn pod(name: &str, extra: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n{extra}spec:\n  containers:\n  - name: app\n    image: nginx:1.27\n"
    )
}

#[test]
fn a_repeated_key_belongs_to_the_object_of_its_document() {
    let text = format!("{}---\n{}", pod("first", ""), pod("second", "  labels: {a: x, a: y}\n"));
    let report = lint_str("pods.yaml", &text, &Config::default());
    let dup = of(&report, "duplicate-key");
    assert_eq!(dup.len(), 1);
    assert_eq!((dup[0].resource.name.as_deref(), dup[0].resource.document), (Some("second"), 2));
    assert_eq!(dup[0].path, "metadata.labels.a");
}

#[test]
fn a_repeated_key_in_a_list_belongs_to_its_item() {
    let text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: one}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: two}\n  data: {k: a, k: b}\n";
    let report = lint_str("list.yaml", text, &Config::default());
    let dup = of(&report, "duplicate-key");
    assert_eq!(dup.len(), 1);
    assert_eq!(dup[0].resource.name.as_deref(), Some("two"));
}

#[test]
fn a_source_issue_outside_any_object_names_no_object_of_another_source() {
    // The first source's document is not an object; the second source's object spans the same
    // bytes. The repeated key must not be put on it.
    let sources = [Source::new("notes.yaml", "k: 1\nk: 2\n"), Source::new("pod.yaml", pod("web", ""))];
    let report = lint(&sources, &Config::default());
    let dup = of(&report, "duplicate-key");
    assert_eq!(dup.len(), 1);
    assert_eq!((dup[0].resource.source.as_str(), dup[0].resource.name.as_deref()), ("notes.yaml", None));
}

#[test]
fn the_summary_counts_sources_documents_and_objects() {
    let sources = [
        Source::new("a.yaml", format!("{}---\n{}", pod("one", ""), pod("two", ""))),
        Source::new("b.yaml", "# nothing here\n"),
        Source::new("c.yaml", pod("three", "")),
    ];
    let report = lint(&sources, &Config::default());
    assert_eq!(
        (report.summary.sources, report.summary.documents, report.summary.resources),
        (3, 3, 3),
        "{:?}",
        report.summary
    );
}

#[test]
fn the_finding_for_those_past_the_cap_has_no_fix() {
    let config = Config { limits: Limits { max_findings_per_rule: 2, ..Limits::default() }, ..Config::default() };
    let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  k: a\n  k: b\n  k: c\n  k: d\n  k: e\n";
    let report = lint_str("cm.yaml", text, &config);
    let dup = of(&report, "duplicate-key");
    assert_eq!(dup.len(), 3, "{dup:#?}");
    let listed = dup.iter().filter(|f| !f.message.contains("not listed")).count();
    assert_eq!(listed, 2);
    for f in &dup {
        // Each listed repeat can be removed; the count of the rest cannot.
        assert_eq!(f.fix.is_some(), !f.message.contains("not listed"), "{}", f.message);
    }
}

#[test]
fn a_rule_reports_at_most_the_cap_per_object_and_counts_the_rest() {
    let config = Config { limits: Limits { max_findings_per_rule: 2, ..Limits::default() }, ..Config::default() };
    let containers: String = (0..5)
        .map(|i| format!("  - name: c{i}\n    image: nginx:1.27\n    securityContext: {{privileged: true}}\n"))
        .collect();
    let text = format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n{containers}");
    let report = lint_str("pod.yaml", &text, &config);
    let found = of(&report, "pss-privileged");
    let messages: Vec<&str> = found.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(found.len(), 3, "{messages:#?}");
    assert!(found.iter().any(|f| f.message.starts_with("3 more pss-privileged findings")), "{messages:#?}");
}

#[test]
fn one_node_reached_through_two_paths_gives_a_finding_at_each() {
    // Same node, same message (the container has one name): only the paths differ.
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - &c\n    name: app\n    image: nginx:1.27\n    securityContext: {privileged: true}\n  - *c\n";
    let report = lint_str("pod.yaml", text, &Config::default());
    let paths: Vec<&str> = of(&report, "pss-privileged").iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        ["spec.containers[0].securityContext.privileged", "spec.containers[1].securityContext.privileged"],
        "{paths:?}"
    );
}

#[test]
fn pod_security_findings_name_their_check_and_level() {
    let text = format!("{}    securityContext: {{privileged: true, allowPrivilegeEscalation: true}}\n", pod("web", ""));
    let report = lint_str("pod.yaml", &text, &Config::default());
    let pss = |rule: &str| {
        let f = of(&report, rule);
        let p = f.first().and_then(|f| f.pss.as_deref()).unwrap_or_else(|| panic!("{rule}: {f:?}"));
        (p.check.clone(), p.level.clone())
    };
    assert_eq!(pss("pss-privileged"), ("privileged".to_owned(), "baseline".to_owned()));
    assert_eq!(pss("pss-privilege-escalation"), ("allowPrivilegeEscalation".to_owned(), "restricted".to_owned()));
}

#[test]
fn family_names_are_the_serialised_names() {
    // SARIF tags use `as_str`; JSON reports and `rules()` use the serialised form.
    for rule in kubeharden::registry::all() {
        let json = serde_json::to_value(rule.family).unwrap();
        assert_eq!(json.as_str(), Some(rule.family.as_str()), "{}", rule.id);
    }
}
