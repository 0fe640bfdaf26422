//! The `kubeharden` binary as users and CI run it: exit codes, `--fail-on`, errors,
//! configuration discovery, file discovery, `rules` and `explain` (the output formats are in
//! formats.rs).

mod support;

use support::*;

// ---------------------------------------------------------------------------------------------
// Exit codes

#[test]
fn fail_on_levels() {
    // Only a warning: writable-root-filesystem turned on over the baseline profile.
    let warning = ["--no-config", "--profile", "baseline", "--enable", "writable-root-filesystem", "-"];
    // Only an info: an ambiguous YAML 1.1 boolean.
    let info_pod = POD.replace("  containers:", "  automountServiceAccountToken: no\n  containers:");
    let info = ["--no-config", "--profile", "baseline", "--enable", "ambiguous-yaml-value", "-"];
    let cases: &[(&[&str], &str, &str, i32)] = &[
        (&warning, POD, "error", 0),
        (&warning, POD, "warning", 1),
        (&warning, POD, "info", 1),
        (&warning, POD, "never", 0),
        (&info, &info_pod, "warning", 0),
        (&info, &info_pod, "info", 1),
        (&info, &info_pod, "never", 0),
    ];
    for (flags, input, level, expected) in cases {
        let mut args = vec!["lint", "--fail-on", level];
        args.extend_from_slice(flags);
        let out = run_stdin(&inputs(), &args, input);
        assert_eq!(code(&out), *expected, "--fail-on {level} {flags:?}: {}", stdout(&out));
    }
    // The default is `warning`.
    assert_eq!(
        code(&run_stdin(
            &inputs(),
            &["lint", "--no-config", "--profile", "baseline", "--enable", "writable-root-filesystem", "-"],
            POD
        )),
        1
    );
    assert_eq!(code(&run_stdin(&inputs(), &["lint", "--no-config", "--profile", "baseline", "-"], POD)), 0);
    // Suppressed findings never fail the run.
    let out = run(&inputs(), &["lint", "--no-config", "--profile", "baseline", "exempt.json"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert!(stdout(&out).contains("1 suppressed"));
}

#[test]
fn missing_and_unreadable_files_exit_2_naming_the_file() {
    let out = run(&inputs(), &["lint", "no-such-file.yaml"]);
    assert_eq!(code(&out), 2);
    assert_eq!(stderr(&out), "kubeharden: error: cannot read `no-such-file.yaml`: no such file or folder\n");
    assert_eq!(stdout(&out), "");

    // One bad file among good ones: the others are still reported, and the exit code is 2.
    let out = run(&inputs(), &["lint", "--no-config", "--color", "never", "deploy.yaml", "no-such-file.yaml"]);
    assert_eq!(code(&out), 2);
    assert!(stdout(&out).contains("error[pss-privileged]"));
    assert!(stdout(&out).contains("1 file not read (see above)"), "{}", stdout(&out));

    let dir = scratch("unreadable");
    let locked = dir.join("locked.yaml");
    write(&locked, POD);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    }
    if std::fs::read(&locked).is_err() {
        // (Skipped when running as root, who reads anything.)
        let out = run(&dir, &["lint", "locked.yaml"]);
        assert_eq!(code(&out), 2);
        assert!(stderr(&out).contains("cannot read `locked.yaml`: permission denied"), "{}", stderr(&out));
    }
    let dangling = dir.join("dangling.yaml");
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.join("gone.yaml"), &dangling).unwrap();
    #[cfg(unix)]
    {
        let out = run(&dir, &["lint", "dangling.yaml"]);
        assert_eq!(code(&out), 2);
        assert!(stderr(&out).contains("cannot read `dangling.yaml`: no such file or folder"), "{}", stderr(&out));
    }
}

#[test]
fn non_utf8_input_names_the_file_and_byte() {
    let dir = scratch("utf8");
    std::fs::write(dir.join("latin1.yaml"), b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: caf\xE9}\n").unwrap();
    let out = run(&dir, &["lint", "--no-config", "."]);
    assert_eq!(code(&out), 2);
    assert_eq!(
        stderr(&out),
        "kubeharden: error: cannot read `latin1.yaml`: not valid UTF-8 at byte offset 51 (line 3, column 21): 0xE9; \
         Kubernetes manifests are UTF-8\n"
    );
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend("apiVersion: v1\n".encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(dir.join("latin1.yaml"), utf16).unwrap();
    let out = run(&dir, &["lint", "--no-config", "latin1.yaml"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("`latin1.yaml`: the file is UTF-16"), "{}", stderr(&out));
}

#[test]
fn usage_errors_exit_2() {
    let out = run(&inputs(), &["lint", "--no-such-flag"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("unexpected argument '--no-such-flag'"), "{}", stderr(&out));
    let out = run(&inputs(), &["lint", "--fail-on", "sometimes"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("invalid value 'sometimes' for '--fail-on <LEVEL>'"), "{}", stderr(&out));
    let out = run(&inputs(), &["lint", "--kubernetes-version", "2.0", "deploy.yaml"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("`2.0` is not a Kubernetes version"), "{}", stderr(&out));
    let out = run(&inputs(), &["lint", "--disable", "pss-privilegd", "deploy.yaml"]);
    assert_eq!(code(&out), 2);
    assert_eq!(
        stderr(&out),
        "kubeharden: error: unknown rule `pss-privilegd` in --disable\n  did you mean `pss-privileged`?\n  \
         `kubeharden rules` lists every rule\n"
    );
    let out = run(&inputs(), &["lint", "--ignore", "[abc", "deploy.yaml"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("invalid ignore pattern `[abc`: unclosed `[`"), "{}", stderr(&out));
    let out = run(&inputs(), &["frobnicate"]);
    assert_eq!(code(&out), 2);
    let out = run(&inputs(), &["--version"]);
    assert_eq!(code(&out), 0);
    assert_eq!(stdout(&out), format!("kubeharden {}\n", env!("CARGO_PKG_VERSION")));
}

// ---------------------------------------------------------------------------------------------
// Options and configuration

#[test]
fn enable_disable_profile_and_version() {
    let out = run(
        &inputs(),
        &[
            "lint",
            "--format",
            "json",
            "--no-config",
            "--profile",
            "baseline",
            "--disable",
            "pss-privileged",
            "deploy.yaml",
        ],
    );
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let rules: Vec<&str> = report["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap()).collect();
    assert!(!rules.is_empty() && !rules.contains(&"pss-privileged"), "{rules:?}");
    assert_eq!(report["config"]["profile"], "baseline");
    let out =
        run(&inputs(), &["lint", "--format", "json", "--no-config", "--kubernetes-version", "1.25.3", "deploy.yaml"]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(report["config"]["kubernetesVersion"], "v1.25");
    // Comma-separated lists.
    let out = run(
        &inputs(),
        &[
            "lint",
            "--format",
            "json",
            "--no-config",
            "--disable",
            "pss-privileged,pss-host-namespaces",
            "--profile",
            "baseline",
            "deploy.yaml",
        ],
    );
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(report["findings"].as_array().unwrap().iter().all(|f| !f["rule"].as_str().unwrap().starts_with("pss-")));
}

#[test]
fn configuration_is_found_upwards_and_flags_override_it() {
    let dir = scratch("config");
    write(
        &dir.join(".kubeharden.yaml"),
        "profile: baseline\nrules:\n  pss-host-namespaces: off\nignore:\n  - deploy/legacy\n  - '*.tmpl.yaml'\n",
    );
    let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostIPC: true\n  containers: [{name: app, image: nginx:1.27, securityContext: {privileged: true}}]\n";
    write(&dir.join("deploy/app.yaml"), pod);
    write(&dir.join("deploy/legacy/old.yaml"), pod);
    write(&dir.join("deploy/x.tmpl.yaml"), pod);
    let sub = dir.join("deploy/nested/deeper");
    std::fs::create_dir_all(&sub).unwrap();
    let out = run(&sub, &["lint", "--format", "json", "../.."]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let found: Vec<(String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["resource"]["source"].as_str().unwrap().to_owned(), f["rule"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(found, [("../../app.yaml".to_owned(), "pss-privileged".to_owned())], "{}", stderr(&out));
    assert_eq!(report["config"]["profile"], "baseline");

    // The text summary says which configuration applied.
    let out = run(&dir, &["lint", "--color", "never", "deploy"]);
    assert!(stdout(&out).contains("· config .kubeharden.yaml"), "{}", stdout(&out));

    // Flags win over the file; --no-config ignores it.
    let out = run(&dir, &["lint", "--format", "json", "--enable", "pss-host-namespaces", "deploy/app.yaml"]);
    assert!(stdout(&out).contains("\"pss-host-namespaces\""));
    let out = run(&dir, &["lint", "--format", "json", "--no-config", "deploy"]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(report["config"]["profile"], "hardened");
    assert_eq!(report["summary"]["sources"], 3, "no ignore patterns without the configuration");

    // An explicit --config, and a broken one.
    write(&dir.join("other.yaml"), "profile: restricted\n");
    let out = run(&dir, &["lint", "--format", "json", "--config", "other.yaml", "deploy/app.yaml"]);
    assert!(stdout(&out).contains("\"profile\":\"restricted\""));
    write(&dir.join("broken.yaml"), "profile: baseline\nrules: [\n");
    let out = run(&dir, &["lint", "--config", "broken.yaml", "deploy"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).starts_with("kubeharden: error: invalid configuration `broken.yaml:"), "{}", stderr(&out));
    write(&dir.join("typo.yaml"), "profil: baseline\n");
    let out = run(&dir, &["lint", "--config", "typo.yaml", "deploy"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("unknown field `profil`"), "{}", stderr(&out));
    let out = run(&dir, &["lint", "--config", "missing.yaml", "deploy"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("cannot read the configuration `missing.yaml`: no such file or folder"),
        "{}",
        stderr(&out)
    );

    // --ignore on the command line, relative to the current folder.
    let out = run(
        &dir,
        &[
            "lint",
            "--format",
            "json",
            "--no-config",
            "--ignore",
            "deploy/legacy/**",
            "--ignore",
            "*.tmpl.yaml",
            "deploy",
        ],
    );
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(report["summary"]["sources"], 1);
    // A file named on the command line but ignored is skipped with a note.
    let out = run(&dir, &["lint", "deploy/x.tmpl.yaml"]);
    assert_eq!(code(&out), 0);
    assert!(
        stderr(&out)
            .contains("`deploy/x.tmpl.yaml` is ignored by the pattern `*.tmpl.yaml` (`ignore` in .kubeharden.yaml)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn exemption_expiry_uses_today() {
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    kubeharden.io/ignore: pss-privileged\n    kubeharden.io/ignore-until: \"2001-01-01\"\nspec:\n  containers: [{name: app, image: nginx:1.27, securityContext: {privileged: true}}]\n";
    let out = run_stdin(&inputs(), &["lint", "--format", "json", "--no-config", "-"], pod);
    assert!(stdout(&out).contains("\"expired-exemption\""), "{}", stdout(&out));
}

// ---------------------------------------------------------------------------------------------
// Files

#[test]
fn folders_are_walked_in_order_skipping_what_is_not_a_manifest() {
    let dir = scratch("walk");
    write(&dir.join("b/one.yaml"), POD);
    write(&dir.join("a/two.yml"), &POD.replace("name: p,", "name: q,"));
    write(
        &dir.join("a/three.JSON"),
        r#"{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"color": "blue"}}"#,
    );
    write(&dir.join("a/notes.txt"), POD);
    write(&dir.join("package.json"), r#"{"name": "not-kubernetes"}"#);
    write(&dir.join("ci.yml"), "stages: [test]\n");
    write(&dir.join("empty.yaml"), "");
    write(&dir.join("broken.yaml"), "apiVersion: v1\nkind: [\n");
    write(&dir.join(".github/workflows/x.yaml"), POD);
    write(&dir.join(".hidden.yaml"), POD);
    write(&dir.join("node_modules/m/x.yaml"), POD);
    write(&dir.join("vendor/v/x.yaml"), POD);
    write(&dir.join("chart/Chart.yaml"), "apiVersion: v2\nname: chart\nversion: 0.1.0\n");
    write(
        &dir.join("chart/templates/deploy.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata: {name: {{ .Release.Name }}}\n",
    );
    let out = run(&dir, &["lint", "--format", "json", "--no-config", "--fail-on", "never"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let mut sources: Vec<&str> =
        report["findings"].as_array().unwrap().iter().map(|f| f["resource"]["source"].as_str().unwrap()).collect();
    sources.dedup();
    // Folders are walked in byte order of names; findings follow the order of the files.
    let order = ["a/three.JSON", "a/two.yml", "b/one.yaml", "broken.yaml"];
    let ranks: Vec<usize> =
        sources.iter().map(|s| order.iter().position(|o| o == s).unwrap_or_else(|| panic!("{s} linted"))).collect();
    assert!(ranks.windows(2).all(|w| w[0] < w[1]), "{sources:?}");
    for expected in ["a/two.yml", "b/one.yaml", "broken.yaml"] {
        assert!(sources.contains(&expected), "{sources:?}");
    }
    assert_eq!(report["summary"]["sources"], 4, "{order:?}");
    assert!(stderr(&out).contains("kubeharden: note: skipped the Helm chart `chart`"), "{}", stderr(&out));

    // The same file reached twice is linted once; a hidden or vendored folder named on the
    // command line is walked; a file named on the command line is linted whatever it holds.
    let out = run(
        &dir,
        &[
            "lint",
            "--format",
            "json",
            "--no-config",
            "--fail-on",
            "never",
            "b",
            "b/one.yaml",
            "./b/",
            "vendor",
            "ci.yml",
        ],
    );
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(report["summary"]["sources"], 3, "{}", stdout(&out));
    assert!(stdout(&out).contains("\"source\":\"ci.yml\""), "ci.yml is reported: {}", stdout(&out));

    // The order does not depend on the run.
    let first = stdout(&run(&dir, &["lint", "--format", "json", "--no-config", "."]));
    for _ in 0..3 {
        assert_eq!(stdout(&run(&dir, &["lint", "--format", "json", "--no-config", "."])), first);
    }
}

#[test]
fn a_folder_without_manifests_is_an_error() {
    let dir = scratch("nothing");
    write(&dir.join("values.yaml"), "replicas: 3\n");
    let out = run(&dir, &["lint", "--no-config", "."]);
    assert_eq!(code(&out), 2);
    assert_eq!(
        stderr(&out),
        "kubeharden: error: no Kubernetes manifests found in `.` (looked for *.yaml, *.yml and *.json files with \
         apiVersion and kind; skipped 1 file without Kubernetes objects)\n"
    );
    write(&dir.join("chart/Chart.yaml"), "name: c\n");
    let out = run(&dir, &["lint", "--no-config", "chart"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("helm template chart | kubeharden lint -"), "{}", stderr(&out));
}

#[test]
fn stdin_and_its_name() {
    let out = run_stdin(
        &inputs(),
        &["lint", "--no-config", "--color", "never", "--profile", "baseline", "-"],
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostPID: true\n  containers: [{name: a, image: b:1}]\n",
    );
    assert!(stdout(&out).starts_with("<stdin>:5:12: error[pss-host-namespaces]"), "{}", stdout(&out));
    let out = run_stdin(
        &inputs(),
        &["lint", "--no-config", "--format", "github", "--profile", "baseline", "-"],
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostPID: true\n  containers: [{name: a, image: b:1}]\n",
    );
    assert!(stdout(&out).starts_with("::error title=pss-host-namespaces (Pod default/p)::"), "{}", stdout(&out));
    let out = run_stdin(
        &inputs(),
        &["lint", "--no-config", "--format", "json", "--stdin-filename", "k8s/pod.yaml", "-"],
        POD,
    );
    assert!(stdout(&out).contains("\"source\":\"k8s/pod.yaml\""));
    let out = run_stdin(&inputs(), &["lint", "--no-config", "-"], "a: \u{0}\u{0}\u{1b}]0;title\u{7}");
    assert_ne!(code(&out), 0);
    assert!(!stdout(&out).contains('\u{1b}'), "escape sequences from the input are never printed raw");
}

// ---------------------------------------------------------------------------------------------
// rules and explain

#[test]
fn rules_command() {
    let out = run(&inputs(), &["rules"]);
    assert_eq!(code(&out), 0);
    let text = stdout(&out);
    assert!(
        text.starts_with("ID ") && text.contains("pss-privileged ") && text.contains("kubeharden explain"),
        "{text}"
    );
    let out = run(&inputs(), &["rules", "--format", "json"]);
    let rules: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(rules.as_array().unwrap().len(), kubeharden::registry::all_meta().len());
    assert!(rules[0]["docs"]["what"].is_string());
    let out = run(&inputs(), &["rules", "--format", "markdown"]);
    assert_eq!(stdout(&out), kubeharden::registry::rules_markdown());
}

#[test]
fn explain_command() {
    let out = run(&inputs(), &["explain", "pss-privileged"]);
    assert_eq!(code(&out), 0);
    let text = stdout(&out);
    let rule = kubeharden::registry::find("pss-privileged").unwrap();
    assert!(text.starts_with(&kubeharden::registry::explain(rule)));
    assert!(text.ends_with(&format!("Online: {}\n", kubeharden::registry::help_uri("pss-privileged"))));
    // By alias (the upstream Pod Security Admission check ID, another linter's ID).
    let out = run(&inputs(), &["explain", "kube-linter:privileged-container"]);
    assert_eq!(code(&out), 0);
    assert!(
        stdout(&out)
            .starts_with("`kube-linter:privileged-container` is an alias of `pss-privileged`.\n\n## pss-privileged\n")
    );
    // Unknown: exit 2 with the closest IDs.
    let out = run(&inputs(), &["explain", "pss-privilegd"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("unknown rule `pss-privilegd`\n  did you mean `pss-privileged`?"),
        "{}",
        stderr(&out)
    );
    assert_eq!(stdout(&out), "");
}

#[test]
fn large_reports_end_with_a_breakdown_by_rule() {
    let privileged = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostPID: true\n  containers: [{name: a, image: b:1, securityContext: {privileged: true}}]\n";
    let stream = [privileged; 6].join("---\n");
    let out = run_stdin(&inputs(), &["lint", "--no-config", "--color", "never", "--profile", "baseline", "-"], &stream);
    let text = stdout(&out);
    let tail: Vec<&str> = text.lines().rev().take(5).collect();
    assert_eq!(
        tail,
        [
            "✖ 12 problems (12 errors) in 1 file, 6 objects · profile baseline, Kubernetes v1.37",
            "",
            "  6  error    pss-privileged",
            "  6  error    pss-host-namespaces",
            "By rule (`kubeharden explain RULE` explains one):",
        ],
        "{text}"
    );
    // Small reports go without it.
    assert!(!stdout(&fixed("text", &["--color", "never"])).contains("By rule"));
}

#[test]
fn crds_from_a_flag_or_the_configuration_validate_custom_resources_without_being_linted() {
    let dir = scratch("crds");
    let crd = "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: widgets.example.com}\nspec:\n  group: example.com\n  scope: Namespaced\n  names: {kind: Widget, plural: widgets}\n  versions:\n  - name: v1\n    served: true\n    storage: true\n    schema:\n      openAPIV3Schema:\n        type: object\n        properties:\n          spec:\n            type: object\n            properties:\n              size: {type: integer}\n";
    write(&dir.join("crds/widget.yaml"), crd);
    write(
        &dir.join("app/widget.yaml"),
        "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec:\n  sise: 3\n",
    );
    let rules = |out: &std::process::Output| -> Vec<(String, String)> {
        let report: serde_json::Value = serde_json::from_str(&stdout(out)).unwrap();
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["resource"]["source"].as_str().unwrap().to_owned(), f["rule"].as_str().unwrap().to_owned()))
            .collect()
    };
    let without = run(&dir, &["lint", "--format", "json", "--no-config", "app"]);
    assert_eq!(rules(&without), [("app/widget.yaml".to_owned(), "unvalidated-custom-resource".to_owned())]);
    // The CRD folder is not linted, even when it is inside the folder linted.
    let with = run(&dir, &["lint", "--format", "json", "--no-config", "--crds", "crds", "."]);
    assert_eq!(rules(&with), [("app/widget.yaml".to_owned(), "unknown-field".to_owned())], "{}", stderr(&with));
    let report: serde_json::Value = serde_json::from_str(&stdout(&with)).unwrap();
    assert_eq!(report["summary"]["sources"], 1);
    // `crds:` in the configuration, relative to its folder.
    write(&dir.join(".kubeharden.yaml"), "crds: [crds/widget.yaml]\n");
    let sub = dir.join("app");
    let out = run(&sub, &["lint", "--format", "json", "widget.yaml"]);
    assert_eq!(rules(&out), [("widget.yaml".to_owned(), "unknown-field".to_owned())], "{}", stderr(&out));
    // A missing CRD path is an error that names it.
    let out = run(&dir, &["lint", "--no-config", "--crds", "nowhere", "app"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("nowhere"), "{}", stderr(&out));
}
