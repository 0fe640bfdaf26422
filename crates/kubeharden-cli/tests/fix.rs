//! `lint --fix`, `--unsafe-fixes` and `--diff`: files written in place with comments and
//! layout kept, standard input fixed to standard output, the diff printed and nothing written,
//! the summary, the exit code following what remains, and a second run changing nothing.

mod support;

use support::*;

const POD: &str = "# a pod, with comments\r\napiVersion: v1\r\nkind: Pod\r\nmetadata:\r\n  name: web  # the name\r\nspec:\r\n  containers:\r\n  - name: app\r\n    image: nginx:1.27\r\n    # no security context yet\r\n    ports:\r\n    - containerPort: 80\r\n";

const RESTRICTED: &[&str] = &["--no-config", "--profile", "restricted", "--color", "never"];

fn args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut all = vec!["lint"];
    all.extend_from_slice(RESTRICTED);
    all.extend_from_slice(extra);
    all
}

#[test]
fn fix_writes_safe_and_hardening_fixes_in_place_keeping_comments_and_crlf() {
    let dir = scratch("fix");
    write(&dir.join("pod.yaml"), POD);
    let out = run(&dir, &args(&["--fix", "pod.yaml"]));
    let fixed = std::fs::read_to_string(dir.join("pod.yaml")).unwrap();
    assert_eq!(
        fixed,
        format!(
            "{POD}{}",
            "    securityContext:\r\n      capabilities:\r\n        drop: [ALL]\r\n      allowPrivilegeEscalation: false\r\n      seccompProfile:\r\n        type: RuntimeDefault\r\n"
        ),
        "{}",
        stderr(&out)
    );
    // The unsafe fix (runAsNonRoot) is left, so the run still fails, and the summary says so.
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    assert!(err.contains("applied 3 fixes in 1 file; 1 finding remain"), "{err}");
    assert!(err.contains("add --unsafe-fixes"), "{err}");
    assert!(stdout(&out).contains("pss-run-as-non-root"), "{}", stdout(&out));
    // A second run changes nothing.
    let again = run(&dir, &args(&["--fix", "pod.yaml"]));
    assert_eq!(std::fs::read_to_string(dir.join("pod.yaml")).unwrap(), fixed);
    assert!(stderr(&again).contains("applied 0 fixes in 0 files"), "{}", stderr(&again));
    // With the unsafe fixes nothing remains: exit 0.
    let all = run(&dir, &args(&["--fix", "--unsafe-fixes", "pod.yaml"]));
    assert_eq!(code(&all), 0, "{}", stderr(&all));
    let fixed = std::fs::read_to_string(dir.join("pod.yaml")).unwrap();
    assert!(fixed.contains("      runAsNonRoot: true\r\n"), "{fixed}");
    assert!(fixed.starts_with("# a pod, with comments\r\n") && fixed.contains("  name: web  # the name\r\n"));
}

#[test]
fn diff_prints_a_unified_diff_and_writes_nothing() {
    let dir = scratch("diff");
    write(&dir.join("pod.yaml"), POD);
    let out = run(&dir, &args(&["--diff", "pod.yaml"]));
    assert_eq!(std::fs::read_to_string(dir.join("pod.yaml")).unwrap(), POD);
    let diff = stdout(&out);
    assert!(diff.starts_with("--- a/pod.yaml\n+++ b/pod.yaml\n@@ -10,3 +10,9 @@\n"), "{diff}");
    assert!(diff.contains("+    securityContext:\r\n"), "{diff}");
    assert!(!diff.contains("runAsNonRoot"), "{diff}");
    assert!(stderr(&out).contains("would apply 3 fixes in 1 file"), "{}", stderr(&out));
    assert_eq!(code(&out), 1);
    let unsafe_diff = stdout(&run(&dir, &args(&["--diff", "--unsafe-fixes", "pod.yaml"])));
    assert!(unsafe_diff.contains("+      runAsNonRoot: true\r\n"), "{unsafe_diff}");
}

#[test]
fn stdin_with_fix_prints_the_fixed_text() {
    let dir = scratch("stdin");
    let out = run_stdin(&dir, &args(&["--fix", "--unsafe-fixes", "-"]), POD);
    let text = stdout(&out);
    assert!(text.starts_with(POD), "{text}");
    assert!(text.contains("runAsNonRoot: true"), "{text}");
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    // The report of what remains is on standard error.
    assert!(stderr(&out).contains("applied 4 fixes in 1 file; 0 findings remain"), "{}", stderr(&out));
}

#[test]
fn unsafe_fixes_alone_is_a_usage_error() {
    let dir = scratch("usage");
    write(&dir.join("pod.yaml"), POD);
    let out = run(&dir, &args(&["--unsafe-fixes", "pod.yaml"]));
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("--unsafe-fixes"), "{}", stderr(&out));
}
