//! The output formats of `kubeharden lint` on a fixed input (snapshots): text, json, sarif,
//! github and gitlab, and where the CI formats and SARIF place files.
//!
//! Rules are added all the time, so the snapshot inputs run the `baseline` profile (the Pod
//! Security baseline checks only fire on what the inputs contain) and the SARIF rule catalogue
//! is redacted.

mod support;

use support::*;

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
    // Artifacts are relative to the work tree's root, which depends on the machine.
    let root = run["originalUriBaseIds"]["%SRCROOT%"]["uri"].as_str().unwrap().to_owned();
    assert!(root.starts_with("file:///") && root.ends_with("/"), "{root}");
    run["originalUriBaseIds"]["%SRCROOT%"]["uri"] = "file:///[work tree]/".into();
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
fn github_paths_are_relative_to_the_work_tree_and_values_are_escaped() {
    let dir = scratch("github");
    std::fs::create_dir(dir.join(".git")).unwrap();
    write(
        &dir.join("deploy/evil.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata: {name: \"a,b:c%d\\n::error::forged\"}\nspec:\n  hostIPC: true\n  containers: [{name: app, image: nginx:1.27}]\n",
    );
    let out = kubeharden(
        &dir.join("deploy"),
        &["lint", "--format", "github", "--no-config", "--profile", "baseline", "--no-schema", "evil.yaml"],
    )
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

/// SARIF artifacts are relative to the work tree's root (`%SRCROOT%`, declared as a `file:///`
/// URI) however the path was given, percent-encoded, never with `..`; files outside the work
/// tree get absolute `file:///` URIs; the CI formats give the same repository-relative paths.
#[test]
fn sarif_and_ci_paths_are_relative_to_the_work_tree() {
    let dir = scratch("uris");
    let repo = dir.join("my repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostIPC: true\n  containers: [{name: a, image: nginx:1.27}]\n";
    write(&repo.join("deploy/web app.yaml"), pod);
    write(&repo.join("base/ünïcode.yaml"), pod);
    write(&dir.join("outside.yaml"), pod);
    let absolute = repo.join("deploy/web app.yaml");
    let args =
        ["--no-config", "--profile", "baseline", absolute.to_str().unwrap(), "ünïcode.yaml", "../../outside.yaml"];
    let sarif_args: Vec<&str> = ["lint", "--format", "sarif"].into_iter().chain(args).collect();
    let out = run(&repo.join("base"), &sarif_args);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let sarif: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let log = &sarif["runs"][0];
    let root = log["originalUriBaseIds"]["%SRCROOT%"]["uri"].as_str().unwrap();
    assert!(root.starts_with("file:///") && root.ends_with("/my%20repo/"), "{root}");
    let mut locations: Vec<String> = log["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"].to_string())
        .collect();
    locations.dedup();
    let outside = format!("file://{}", dir.join("outside.yaml").to_str().unwrap().replace(' ', "%20"));
    assert_eq!(
        locations,
        [
            r#"{"uri":"deploy/web%20app.yaml","uriBaseId":"%SRCROOT%"}"#.to_owned(),
            r#"{"uri":"base/%C3%BCn%C3%AFcode.yaml","uriBaseId":"%SRCROOT%"}"#.to_owned(),
            format!(r#"{{"uri":"{outside}"}}"#),
        ]
    );
    let github_args: Vec<&str> = ["lint", "--format", "github"].into_iter().chain(args).collect();
    let files: Vec<String> = stdout(&run(&repo.join("base"), &github_args))
        .lines()
        .filter_map(|l| l.split("file=").nth(1))
        .map(|l| l.split(",line=").next().unwrap().to_owned())
        .collect();
    let outside_path = dir.join("outside.yaml").to_str().unwrap().replace(':', "%3A");
    assert_eq!(files, ["deploy/web app.yaml", "base/ünïcode.yaml", outside_path.as_str()]);
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
