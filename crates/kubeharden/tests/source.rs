//! The source layer end to end: Kubernetes scalar semantics, document splitting, limits.

use kubeharden::{Config, Finding, Limits, Report, lint_str};

fn lint(text: &str) -> Report {
    lint_str("test.yaml", text, &Config::default())
}

fn find<'a>(report: &'a Report, rule: &str) -> Vec<&'a Finding> {
    report.findings.iter().filter(|f| f.rule == rule).collect()
}

fn line_of(text: &str, needle: &str) -> u32 {
    text.lines().position(|l| l.contains(needle)).expect("needle") as u32 + 1
}

#[test]
fn yaml11_booleans_and_merge_keys_are_read_like_the_api_server() {
    let text = "\
apiVersion: v1
kind: Pod
metadata:
  name: web
x-base: &base
  name: merged
  image: nginx:1.27
  securityContext:
    privileged: on
spec:
  hostNetwork: On
  containers:
  - name: app
    image: nginx:1.27
    securityContext:
      privileged: yes
  - <<: *base
";
    let report = lint(text);
    let privileged = find(&report, "pss-privileged");
    let lines: Vec<u32> = privileged.iter().map(|f| f.span.start.line).collect();
    assert!(lines.contains(&line_of(text, "privileged: yes")), "{lines:?}");
    assert!(lines.contains(&line_of(text, "privileged: on")), "merged container: {lines:?}");
    let merged = privileged.iter().find(|f| f.message.contains("\"merged\"")).expect("merged container found");
    assert_eq!(merged.path, "spec.containers[1].securityContext.privileged");
    let host = find(&report, "pss-host-namespaces");
    assert_eq!(host.len(), 1);
    assert_eq!(host[0].span.start.line, line_of(text, "hostNetwork: On"));
    assert_eq!(host[0].span.start.column, 16);
    assert_eq!(host[0].span.end.column, 18);
}

#[test]
fn a_broken_document_does_not_hide_the_others() {
    let text = "\
apiVersion: v1
kind: Pod
metadata: {name: first}
spec:
  containers: [{name: a, image: nginx:1.27, securityContext: {privileged: true}}]
---
apiVersion: v1
kind: Pod
metadata: {name: broken
spec: {}
---
apiVersion: v1
kind: Pod
metadata: {name: third}
spec:
  hostPID: true
  containers: [{name: a, image: nginx:1.27}]
";
    let report = lint(text);
    let invalid = find(&report, "invalid-yaml");
    assert_eq!(invalid.len(), 1);
    assert_eq!(invalid[0].resource.document, 2);
    assert!((9..=10).contains(&invalid[0].span.start.line), "{:?}", invalid[0].span);
    let privileged = find(&report, "pss-privileged");
    assert_eq!(privileged.len(), 1);
    assert_eq!(privileged[0].resource.name.as_deref(), Some("first"));
    let host = find(&report, "pss-host-namespaces");
    assert_eq!(host.len(), 1);
    assert_eq!(host[0].resource.name.as_deref(), Some("third"));
    assert_eq!(host[0].resource.document, 3);
}

#[test]
fn integers_follow_go_base_zero_parsing() {
    let report = lint(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext: {runAsUser: 0x10}\n  containers: [{name: a, image: nginx:1.27}]\n",
    );
    assert!(find(&report, "invalid-resource").is_empty(), "0x10 is an integer");
    let report = lint(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext: {runAsUser: '0x10'}\n  containers: [{name: a, image: nginx:1.27}]\n",
    );
    // Schema validation reports the type error (once), where invalid-resource would without it.
    let type_errors = find(&report, "invalid-resource").len() + find(&report, "wrong-field-type").len();
    assert_eq!(type_errors, 1, "a quoted number is a string");
}

#[test]
fn billion_laughs_ends_with_a_limit_finding() {
    let mut text = String::from(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lol}\ndata:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    );
    for i in 1..12 {
        let prev = format!("*a{}", i - 1);
        text.push_str(&format!("  a{i}: &a{i} [{}]\n", [prev.as_str(); 10].join(", ")));
    }
    let report = lint(&text);
    let limit = find(&report, "input-limit-exceeded");
    assert_eq!(limit.len(), 1);
    assert!(limit[0].message.contains("aliases"), "{}", limit[0].message);
}

#[test]
fn ten_thousand_deep_nesting_ends_with_a_limit_finding() {
    for (open, close) in [("[", "]"), ("{a: ", "}")] {
        let text = format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: deep}}\ndata:\n  a: {}{}\n",
            open.repeat(10_000),
            close.repeat(10_000)
        );
        let report = lint(&text);
        let problems: Vec<_> =
            report.findings.iter().filter(|f| f.rule == "input-limit-exceeded" || f.rule == "invalid-yaml").collect();
        assert_eq!(problems.len(), 1, "{open}: {:?}", report.findings);
    }
    // Block nesting has no flow-level cap in the parser: our depth limit must stop it.
    let mut text = String::from("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata:\n");
    for depth in 0..10_000 {
        text.push_str(&" ".repeat(depth + 2));
        text.push_str("a:\n");
    }
    let report = lint(&text);
    let limit = find(&report, "input-limit-exceeded");
    assert_eq!(limit.len(), 1, "{:?}", report.findings.iter().map(|f| &f.rule).collect::<Vec<_>>());
    assert!(limit[0].message.contains("nesting"));
}

#[test]
fn a_fifty_megabyte_stream_is_linted_completely() {
    let doc = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: nginx:1.27\n        securityContext:\n          privileged: true\n---\n";
    let count = 50 * 1024 * 1024 / doc.len() + 1;
    let text = doc.repeat(count);
    assert!(text.len() >= 50 * 1024 * 1024);
    assert!(text.len() < Limits::default().max_input_bytes);
    let report = lint(&text);
    assert_eq!(report.summary.documents, count);
    assert_eq!(find(&report, "pss-privileged").len(), count, "{:?}", report.summary);
    assert!(find(&report, "input-limit-exceeded").is_empty());
}

#[test]
fn a_stream_above_the_byte_limit_is_refused_with_one_finding() {
    let doc = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n---\n";
    let config = Config { limits: Limits { max_input_bytes: 1024, ..Limits::default() }, ..Config::default() };
    let report = lint_str("big.yaml", &doc.repeat(100), &config);
    let limit = find(&report, "input-limit-exceeded");
    assert_eq!(limit.len(), 1);
    assert!(limit[0].message.contains("above the limit"), "{}", limit[0].message);
}

#[test]
fn too_many_documents_is_a_finding() {
    let config = Config { limits: Limits { max_documents: 3, ..Limits::default() }, ..Config::default() };
    let doc = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n---\n";
    let report = lint_str("many.yaml", &doc.repeat(10), &config);
    assert_eq!(report.summary.documents, 3);
    let limit = find(&report, "input-limit-exceeded");
    assert_eq!(limit.len(), 1);
    assert_eq!(limit[0].span.start.line, 13);
}

#[test]
fn json_input_and_lists_are_resources() {
    let json = r#"{
  "apiVersion": "v1",
  "kind": "List",
  "items": [
    {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a"},
     "spec": {"containers": [{"name": "c", "image": "nginx:1.27", "securityContext": {"privileged": true}}]}},
    {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "b"},
     "spec": {"hostIPC": true, "containers": [{"name": "c", "image": "nginx:1.27"}]}}
  ]
}"#;
    let report = lint_str("list.json", json, &Config::default());
    assert_eq!(report.summary.resources, 2);
    let privileged = find(&report, "pss-privileged");
    assert_eq!(privileged.len(), 1);
    assert_eq!(privileged[0].path, "items[0].spec.containers[0].securityContext.privileged");
    assert_eq!(privileged[0].span.start.line, 6);
    let host = find(&report, "pss-host-namespaces");
    assert_eq!(host[0].resource.name.as_deref(), Some("b"));
    assert_eq!(host[0].path, "items[1].spec.hostIPC");
}

#[test]
fn cronjob_and_ephemeral_containers_are_visited() {
    let text = "\
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly}
spec:
  schedule: '@daily'
  jobTemplate:
    spec:
      template:
        spec:
          containers: [{name: job, image: busybox:1.36}]
          ephemeralContainers:
          - name: debug
            image: busybox:1.36
            securityContext: {privileged: true}
";
    let report = lint(text);
    let privileged = find(&report, "pss-privileged");
    assert_eq!(privileged.len(), 1);
    assert!(privileged[0].message.contains("ephemeral container \"debug\""));
    assert_eq!(
        privileged[0].path,
        "spec.jobTemplate.spec.template.spec.ephemeralContainers[0].securityContext.privileged"
    );
}

#[test]
fn duplicate_keys_are_reported_and_the_last_value_is_linted() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostPID: false\n  hostPID: true\n  containers: [{name: a, image: nginx:1.27}]\n";
    let report = lint(text);
    let dup = find(&report, "duplicate-key");
    assert_eq!(dup.len(), 1);
    assert_eq!(dup[0].span.start.line, 6);
    assert!(dup[0].message.contains("line 5"));
    assert_eq!(find(&report, "pss-host-namespaces").len(), 1);
}

#[test]
fn columns_count_utf16_code_units() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations: {note: \"😀 漢字\"}\nspec:\n  containers:\n  - {name: \"😀\", image: nginx:1.27, securityContext: {privileged: true}}\n";
    let report = lint(text);
    let f = find(&report, "pss-privileged")[0];
    let line = text.lines().nth(7).unwrap();
    let byte_col = line.find("true").unwrap();
    let utf16_col = line[..byte_col].encode_utf16().count() as u32 + 1;
    assert_eq!(f.span.start.column, utf16_col);
    let utf16_offset: usize = text[..text.rfind("true").unwrap()].encode_utf16().count();
    assert_eq!(f.span.start.offset as usize, utf16_offset);
}

#[test]
fn empty_and_comment_only_documents_are_skipped() {
    let report = lint("---\n# nothing\n---\n\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n");
    assert_eq!(report.summary.documents, 1);
    assert!(report.findings.iter().all(|f| f.rule != "invalid-resource"));
}

/// One mistake repeated 100,000 times (a key, a YAML 1.1 value, a privileged container) gives
/// at most `limits.maxFindingsPerRule` findings per object and one that counts the rest,
/// pointing at the first one left out.
#[test]
fn repeated_mistakes_are_capped_per_rule_and_object() {
    let head = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: dup}\ndata:\n";
    let report = lint(&format!("{head}{}", "  k: v\n".repeat(100_000)));
    let dup = find(&report, "duplicate-key");
    assert_eq!(dup.len(), 101, "100 findings and a summary");
    let summary = dup.last().unwrap();
    assert_eq!(
        summary.message,
        "99899 more duplicate-key findings on this object, from here on, are not listed: a rule reports at most 100 per object"
    );
    assert_eq!(summary.span.start.line, 4 + 102, "the 101st repeated key (the first key is line 5)");
    // The repeated keys are not in the mapping the API server sees (the last one is): the path
    // stops at the mapping, as for every duplicate-key finding.
    assert_eq!(summary.path, "data");
    assert_eq!(report.summary.error, 101);
    // The summary says what to do about the rest and offers no fix: the listed findings'
    // fixes (removing one duplicate key each) are not the fix for the 99,899 left out.
    assert!(dup[0].fix.is_some(), "a listed duplicate key has its fix");
    assert!(summary.fix.is_none(), "the summary has no fix of its own");
    assert_eq!(
        summary.help,
        "they likely repeat one mistake: fix the findings listed, then lint again (or raise limits.maxFindingsPerRule)"
    );

    let values: String = (0..100_000).map(|i| format!("  k{i}: yes\n")).collect();
    let report = lint(&format!("{head}{values}"));
    let ambiguous = find(&report, "ambiguous-yaml-value");
    assert_eq!(ambiguous.len(), 101);
    assert!(
        ambiguous[100].message.starts_with("99900 more ambiguous-yaml-value findings"),
        "{}",
        ambiguous[100].message
    );

    // The engine caps rules the same way, per object: two pods of 1,000 privileged containers.
    let containers: String = (0..1000)
        .map(|i| format!("  - {{name: c{i}, image: nginx:1.27, securityContext: {{privileged: true}}}}\n"))
        .collect();
    let pod = |name: &str| {
        format!("apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}}}\nspec:\n  containers:\n{containers}")
    };
    let report = lint(&format!("{}---\n{}", pod("a"), pod("b")));
    let privileged = find(&report, "pss-privileged");
    assert_eq!(privileged.len(), 202);
    for f in [privileged[100], privileged[201]] {
        assert!(f.message.starts_with("900 more pss-privileged findings on this object"), "{}", f.message);
        assert_eq!(f.path, "spec.containers[100].securityContext.privileged");
    }
    // The cap is a limit like the others.
    let config = Config { limits: Limits { max_findings_per_rule: 5, ..Limits::default() }, ..Config::default() };
    let report = lint_str("pods.yaml", &pod("a"), &config);
    assert_eq!(find(&report, "pss-privileged").len(), 6);
}
