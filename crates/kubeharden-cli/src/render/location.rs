//! Where a finding's file is for the CI formats: relative to the root of the git work tree that
//! holds the current folder (or the current folder, outside any work tree), so that GitHub,
//! GitLab and SARIF viewers can place it whatever folder the CLI ran in and however the path was
//! given (`../x`, an absolute path). SARIF names that root `%SRCROOT%` and declares it as a
//! `file:///…/` URI; a file outside it gets an absolute `file:///` URI.

use std::path::{Component, Path, PathBuf};

use kubeharden::sarif::{Artifact, Locations, file_uri};

use super::RunInfo;

/// The root of the git work tree holding `cwd` (the nearest folder with a `.git` folder or
/// file, as in a linked worktree), else `cwd`.
pub fn work_tree_root(cwd: &Path) -> PathBuf {
    cwd.ancestors().find(|dir| dir.join(".git").exists()).unwrap_or(cwd).to_owned()
}

/// Where a source is.
#[derive(Debug, PartialEq, Eq)]
pub enum Place {
    /// Inside the root: the path's segments below it.
    Inside(Vec<String>),
    /// Outside it: the absolute path, without `.` and `..`.
    Outside(PathBuf),
    /// Standard input under its default name: no file.
    Stdin,
}

/// Where the source `name` (a path as given on the command line) is.
pub fn place(run: &RunInfo, name: &str) -> Place {
    if run.stdin_name.as_deref() == Some(name) {
        return Place::Stdin;
    }
    let file = crate::glob::absolute(&run.cwd, Path::new(name));
    match file.strip_prefix(&run.root) {
        Ok(rel) => Place::Inside(rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect()),
        Err(_) => Place::Outside(file),
    }
}

/// The path a CI service shows for a source: relative to the root with `/` separators, the
/// absolute path for a file outside it, `None` for standard input.
pub fn repo_path(run: &RunInfo, name: &str) -> Option<String> {
    match place(run, name) {
        Place::Inside(segments) => Some(segments.join("/")),
        Place::Outside(path) => Some(path.to_string_lossy().replace('\\', "/")),
        Place::Stdin => None,
    }
}

/// The segments of an absolute path for a `file:///` URI (`C:` for a drive, no root marker).
fn segments(path: &Path) -> Vec<String> {
    path.components()
        .filter(|c| !matches!(c, Component::RootDir))
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect()
}

/// The SARIF artifact of a source.
pub fn artifact(run: &RunInfo, name: &str) -> Artifact {
    match place(run, name) {
        Place::Inside(segments) => Artifact::relative(segments.iter().map(String::as_str)),
        Place::Outside(path) => Artifact::Absolute(file_uri(segments(&path).iter().map(String::as_str), false)),
        Place::Stdin => Artifact::named(name),
    }
}

/// The SARIF log of a report, its artifacts placed against the work tree's root.
pub fn sarif(report: &kubeharden::Report, run: &RunInfo) -> String {
    let root_uri = file_uri(segments(&run.root).iter().map(String::as_str), true);
    let locate = |name: &str| artifact(run, name);
    kubeharden::sarif::to_sarif_located(report, &Locations { root_uri, locate: &locate })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(cwd: &str, root: &str) -> RunInfo {
        RunInfo { cwd: PathBuf::from(cwd), root: PathBuf::from(root), ..RunInfo::default() }
    }

    #[test]
    fn places_paths_against_the_root() {
        let r = run("/repo/deploy", "/repo");
        assert_eq!(place(&r, "web.yaml"), Place::Inside(vec!["deploy".into(), "web.yaml".into()]));
        assert_eq!(place(&r, "../base/./pod.yaml"), Place::Inside(vec!["base".into(), "pod.yaml".into()]));
        assert_eq!(place(&r, "/repo/x y.yaml"), Place::Inside(vec!["x y.yaml".into()]));
        assert_eq!(place(&r, "../../etc/k8s.yaml"), Place::Outside(PathBuf::from("/etc/k8s.yaml")));
        assert_eq!(repo_path(&r, "../base/pod.yaml").as_deref(), Some("base/pod.yaml"));
        assert_eq!(repo_path(&r, "/tmp/a.yaml").as_deref(), Some("/tmp/a.yaml"));
        let stdin = RunInfo { stdin_name: Some("<stdin>".into()), ..run("/repo", "/repo") };
        assert_eq!(repo_path(&stdin, "<stdin>"), None);
        assert_eq!(artifact(&r, "../ü.yaml"), Artifact::Relative("%C3%BC.yaml".into()));
        assert_eq!(artifact(&r, "/tmp/a b.yaml"), Artifact::Absolute("file:///tmp/a%20b.yaml".into()));
    }
}
