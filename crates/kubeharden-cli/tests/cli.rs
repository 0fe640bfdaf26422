//! The `kubeharden` binary as users and CI run it: every output format on a fixed input
//! (snapshots), exit codes, `--fail-on`, errors, configuration discovery, file discovery.
//!
//! Rules are added all the time, so the snapshot inputs run the `baseline` profile (the Pod
//! Security baseline checks only fire on what the inputs contain) and the SARIF rule catalogue
//! is redacted.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

const BIN: &str = env!("CARGO_BIN_EXE_kubeharden");

fn inputs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/inputs")
}

/// The binary with a clean environment for reproducible output (no colours from the terminal,
/// no CI variables from the machine running the tests).
fn kubeharden(cwd: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(cwd).args(args).stdin(Stdio::null());
    for var in ["NO_COLOR", "TERM", "GITHUB_WORKSPACE", "CI_PROJECT_DIR"] {
        cmd.env_remove(var);
    }
    cmd
}

fn run(cwd: &Path, args: &[&str]) -> Output {
    kubeharden(cwd, args).output().expect("the binary runs")
}

fn run_stdin(cwd: &Path, args: &[&str], input: &str) -> Output {
    use std::io::Write;
    let mut child =
        kubeharden(cwd, args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exited normally")
}

/// A fresh folder under Cargo's temporary folder for integration tests.
fn scratch(name: &str) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "cli-{name}-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(path, text).unwrap();
}

/// The fixed input: baseline profile plus one info rule, so each severity and a suppressed
/// finding appear.
const FIXED: &[&str] =
    &["--no-config", "--profile", "baseline", "--enable", "ambiguous-yaml-value", "deploy.yaml", "exempt.json"];

fn fixed(format: &str, extra: &[&str]) -> Output {
    let mut args = vec!["lint", "--format", format];
    args.extend_from_slice(extra);
    args.extend_from_slice(FIXED);
    run(&inputs(), &args)
}

const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: ns}\nspec:\n  containers:\n  - name: app\n    image: nginx:1.27\n";

// ---------------------------------------------------------------------------------------------
// Formats

#[test]
fn text_format() {
    let out = fixed("text", &["--color", "never"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    insta::assert_snapshot!("text", stdout(&out));
}

#[test]
fn text_format_with_suppressed_findings() {
    let out = fixed("text", &["--color", "never", "--show-suppressed"]);
    insta::assert_snapshot!("text_suppressed", stdout(&out));
}

#[test]
fn text_format_in_colour() {
    let out = fixed("text", &["--color", "always"]);
    let text = stdout(&out);
    assert!(text.contains("\x1b[1;31merror[pss-privileged]\x1b[0m"), "{text}");
    assert!(text.contains("\x1b[1;36minfo[ambiguous-yaml-value]\x1b[0m"), "{text}");
    // Auto: not a terminal, so no colour, and NO_COLOR is respected by auto only.
    let plain = stdout(&fixed("text", &[]));
    assert!(!plain.contains('\x1b'));
    let forced = kubeharden(&inputs(), &["lint", "--color", "always", "--no-config", "deploy.yaml"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(stdout(&forced).contains('\x1b'), "--color always wins over NO_COLOR");
}

#[test]
fn json_format_is_the_core_report() {
    let out = fixed("json", &[]);
    assert_eq!(code(&out), 1);
    let text = stdout(&out);
    assert!(text.ends_with("}\n") && text.lines().count() == 1, "one line of JSON");
    let mut report: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(report["schemaVersion"], 1);
    report["tool"]["version"] = "[version]".into();
    insta::assert_json_snapshot!("json", report);
}

#[test]
fn sarif_format() {
    let out = fixed("sarif", &[]);
    assert_eq!(code(&out), 1);
    let mut sarif: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    // Each result's ruleIndex points at its rule (the index itself changes as rules are added).
    for result in run["results"].as_array().unwrap() {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
    }
    assert_eq!(rules.len(), kubeharden::registry::all_meta().len());
    let run = &mut sarif["runs"][0];
    run["tool"]["driver"]["rules"] = "[the rule catalogue]".into();
    run["tool"]["driver"]["version"] = "[version]".into();
    run["tool"]["driver"]["semanticVersion"] = "[version]".into();
    for result in run["results"].as_array_mut().unwrap() {
        result["ruleIndex"] = "[index]".into();
    }
    insta::assert_json_snapshot!("sarif", sarif);
}

#[test]
fn github_format() {
    let out = fixed("github", &[]);
    assert_eq!(code(&out), 1);
    insta::assert_snapshot!("github", stdout(&out));
}

#[test]
fn github_paths_are_relative_to_the_workspace_and_values_are_escaped() {
    let dir = scratch("github");
    write(
        &dir.join("deploy/evil.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata: {name: \"a,b:c%d\\n::error::forged\"}\nspec:\n  hostIPC: true\n  containers: [{name: app, image: nginx:1.27}]\n",
    );
    let out = kubeharden(
        &dir.join("deploy"),
        &["lint", "--format", "github", "--no-config", "--profile", "baseline", "--no-schema", "evil.yaml"],
    )
    .env("GITHUB_WORKSPACE", &dir)
    .output()
    .unwrap();
    let text = stdout(&out);
    let first = text.lines().next().unwrap();
    assert!(first.starts_with("::error file=deploy/evil.yaml,line=5,col=12,endLine=5,endColumn=16,"), "{first}");
    assert!(
        first.contains("title=pss-host-namespaces (Pod default/a%2Cb%3Ac%25d\\u{a}%3A%3Aerror%3A%3Aforged)::"),
        "{first}"
    );
    // The forged command is neither on a line of its own nor unescaped.
    assert!(!text.lines().any(|l| l.starts_with("::error::forged")), "{text}");
}

#[test]
fn gitlab_format() {
    let out = fixed("gitlab", &[]);
    assert_eq!(code(&out), 1);
    let issues: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let fingerprints: std::collections::BTreeSet<&str> =
        issues.as_array().unwrap().iter().map(|i| i["fingerprint"].as_str().unwrap()).collect();
    assert_eq!(fingerprints.len(), issues.as_array().unwrap().len(), "fingerprints are unique");
    insta::assert_snapshot!("gitlab", stdout(&out));
}

#[test]
fn quiet_prints_only_what_fails() {
    let out = fixed("text", &["--quiet", "--color", "never"]);
    let text = stdout(&out);
    assert!(!text.contains("info[ambiguous-yaml-value]") && text.contains("error[pss-privileged]"), "{text}");
    assert!(!text.contains("problems"), "no summary: {text}");
    let out = fixed("text", &["--quiet", "--fail-on", "never"]);
    assert!(stdout(&out).contains("info[ambiguous-yaml-value]"));
    // Nothing fails: nothing printed.
    let out = run_stdin(&inputs(), &["lint", "--quiet", "--no-config", "-"], POD);
    let out2 = run_stdin(&inputs(), &["lint", "--quiet", "--no-config", "--profile", "baseline", "-"], POD);
    assert_eq!(code(&out2), 0);
    assert_eq!(stdout(&out2), "");
    assert_eq!(code(&out), 1, "the hardened profile finds a writable root filesystem");
}

#[test]
fn output_file() {
    let dir = scratch("output");
    let target = dir.join("report.sarif");
    let out = fixed("sarif", &["--output", target.to_str().unwrap()]);
    assert_eq!(code(&out), 1);
    assert_eq!(stdout(&out), "");
    let sarif: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&target).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let out = fixed("json", &["--output", dir.join("missing/folder/r.json").to_str().unwrap()]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("cannot write") && stderr(&out).contains("r.json"), "{}", stderr(&out));
}

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
