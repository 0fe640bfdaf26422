//! Boundaries that a mutation run (cargo-mutants, see the README) found no test for: each test
//! here fails when the condition it names is inverted, widened or removed.

use kubeharden::{Config, Finding, Report, RuleSetting, Severity, lint_str};

fn lint(text: &str, config: &Config) -> Report {
    lint_str("t.yaml", text, config)
}

fn of<'a>(report: &'a Report, rule: &str) -> Vec<&'a Finding> {
    report.findings.iter().filter(|f| f.rule == rule).collect()
}

fn active<'a>(report: &'a Report, rule: &str) -> Vec<&'a Finding> {
    report.active().filter(|f| f.rule == rule).collect()
}

/// Applies a finding's fix (UTF-16 offsets, as the report gives them).
fn apply(text: &str, finding: &Finding) -> String {
    let fix = finding.fix.as_ref().expect("a fix");
    let mut units: Vec<u16> = text.encode_utf16().collect();
    let mut edits = fix.edits.clone();
    edits.sort_by_key(|e| std::cmp::Reverse(e.start));
    for e in &edits {
        units.splice(e.start as usize..e.end as usize, e.text.encode_utf16());
    }
    String::from_utf16(&units).unwrap()
}

const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n";

#[test]
fn writable_root_filesystem_does_not_apply_to_windows_pods() {
    let containers = "  containers:\n  - name: app\n    image: nginx:1.27\n";
    let linux = lint(&format!("{POD}{containers}"), &Config::default());
    assert_eq!(of(&linux, "writable-root-filesystem").len(), 1);
    // Windows rejects readOnlyRootFilesystem: asking for it would make the pod invalid.
    let windows = lint(&format!("{POD}  os: {{name: windows}}\n{containers}"), &Config::default());
    assert!(of(&windows, "writable-root-filesystem").is_empty());
    let other = lint(&format!("{POD}  os: {{name: linux}}\n{containers}"), &Config::default());
    assert_eq!(of(&other, "writable-root-filesystem").len(), 1);
}

#[test]
fn the_default_deny_fix_keeps_the_texts_line_endings() {
    let deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: app, image: nginx:1.27}]\n";
    for (newline, ends_with_newline) in [("\r\n", true), ("\r\n", false), ("\n", true), ("\n", false)] {
        let mut text = deployment.replace('\n', newline);
        if !ends_with_newline {
            text.truncate(text.len() - newline.len());
        }
        let report = lint(&text, &Config::default());
        let finding = *of(&report, "missing-default-deny-ingress").first().expect("a finding");
        let inserted = &finding.fix.as_ref().unwrap().edits[0].text;
        let lines: Vec<&str> = inserted.split_inclusive('\n').collect();
        assert!(
            lines.iter().all(|l| l.ends_with(newline) && (newline == "\r\n" || !l.ends_with("\r\n"))),
            "{newline:?}: {inserted:?}"
        );
        // A text without a final line break gets one before the new document.
        assert_eq!(inserted.starts_with(newline), !ends_with_newline, "{inserted:?}");
        let fixed = apply(&text, finding);
        let after = lint(&fixed, &Config::default());
        assert!(of(&after, "missing-default-deny-ingress").is_empty(), "{fixed}");
        assert!(of(&after, "invalid-yaml").is_empty(), "{fixed}");
    }
}

#[test]
fn an_exemption_applies_through_its_last_day() {
    let text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    kubeharden.io/ignore: pss-host-namespaces\n    kubeharden.io/ignore-until: \"2026-06-01\"\nspec:\n  hostNetwork: true\n  containers: [{name: app, image: nginx:1.27}]\n";
    let on = |today: &str| Config { today: Some(today.into()), ..Config::default() };
    for today in ["2026-05-31", "2026-06-01"] {
        let report = lint(text, &on(today));
        assert!(active(&report, "pss-host-namespaces").is_empty(), "{today}: suppressed");
        assert_eq!(of(&report, "pss-host-namespaces").len(), 1, "{today}: reported, marked as suppressed");
        assert!(of(&report, "expired-exemption").is_empty(), "{today}");
    }
    for today in ["2026-06-02", "2027-01-01"] {
        let report = lint(text, &on(today));
        assert_eq!(active(&report, "pss-host-namespaces").len(), 1, "{today}: reported again");
        assert_eq!(of(&report, "expired-exemption").len(), 1, "{today}");
    }
}

#[test]
fn kubelet_flags_read_booleans_as_go_does() {
    let kubelet = |flag: &str| {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: kubelet, namespace: kube-system}}\nspec:\n  hostNetwork: true\n  containers:\n  - name: kubelet\n    image: registry.k8s.io/kubelet:v1.36.0\n    command: [kubelet, \"--anonymous-auth={flag}\", --authorization-mode=Webhook, --read-only-port=0]\n"
        )
    };
    for on in ["true", "True", "TRUE", "t", "T", "1"] {
        let report = lint(&kubelet(on), &Config::default());
        assert_eq!(of(&report, "kubelet-anonymous-auth-enabled").len(), 1, "--anonymous-auth={on} is true");
    }
    for off in ["false", "False", "FALSE", "f", "F", "0"] {
        let report = lint(&kubelet(off), &Config::default());
        assert!(of(&report, "kubelet-anonymous-auth-enabled").is_empty(), "--anonymous-auth={off} is false");
    }
}

#[test]
fn a_configured_severity_wins_over_the_rules_own() {
    let text = format!("{POD}  hostNetwork: true\n  containers: [{{name: app, image: nginx:1.27}}]\n");
    let severity = |config: &Config| of(&lint(&text, config), "pss-host-namespaces").first().map(|f| f.severity);
    assert_eq!(severity(&Config::default()), Some(Severity::Error));
    for (setting, expected) in [
        (RuleSetting::Level(Severity::Info), Some(Severity::Info)),
        (RuleSetting::Level(Severity::Warning), Some(Severity::Warning)),
        (RuleSetting::On, Some(Severity::Error)),
        (RuleSetting::Off, None),
    ] {
        let mut config = Config::default();
        config.rules.insert("pss-host-namespaces".into(), setting);
        assert_eq!(severity(&config), expected, "{setting}");
    }
    // A finding whose check sets its own severity (an explicit automount is information) keeps
    // it when the rule is merely on, and takes the configured level when one is set.
    let automount =
        format!("{POD}  automountServiceAccountToken: true\n  containers: [{{name: app, image: nginx:1.27}}]\n");
    let severity =
        |config: &Config| of(&lint(&automount, config), "service-account-token-automount").first().map(|f| f.severity);
    assert_eq!(severity(&Config::default()), Some(Severity::Info));
    let mut config = Config::default();
    config.rules.insert("service-account-token-automount".into(), RuleSetting::On);
    assert_eq!(severity(&config), Some(Severity::Info));
    config.rules.insert("service-account-token-automount".into(), RuleSetting::Level(Severity::Error));
    assert_eq!(severity(&config), Some(Severity::Error));
}
