//! Which files to lint: paths from the command line, folders walked recursively, ignore
//! patterns, and the folders nobody wants linted (hidden ones, vendored code, Helm charts).

use std::collections::HashSet;
use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};

use crate::glob::{self, Pattern};

/// Folder names never entered while walking (they hold other people's files). A folder named
/// on the command line is always walked.
const VENDOR_DIRS: &[&str] = &["node_modules", "vendor", "bower_components", "__pycache__"];

/// Extensions of the files picked up in folders (case-insensitive). Files named on the command
/// line are linted whatever their extension.
const EXTENSIONS: &[&str] = &["yaml", "yml", "json"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Stdin,
    File {
        path: PathBuf,
        /// The name findings carry: the path as the user wrote it, `./` removed.
        name: String,
        /// Named on the command line (always linted) or found in a folder (linted only when
        /// it holds Kubernetes objects).
        explicit: bool,
    },
}

#[derive(Debug, Default)]
pub struct Discovery {
    pub inputs: Vec<Input>,
    /// Paths that do not exist or cannot be listed: exit code 2.
    pub errors: Vec<String>,
    /// Things the user may want to know (a skipped Helm chart, an ignored file they named).
    pub notes: Vec<String>,
    /// Files left out by ignore patterns.
    pub ignored: usize,
}

/// Expands the command-line paths into the files to lint, in a deterministic order: paths in
/// the order given, each folder walked in byte order of names. A file reached twice is linted
/// once.
pub fn discover(paths: &[PathBuf], cwd: &Path, ignores: &[Pattern]) -> Discovery {
    let mut walker = Walker { cwd, ignores, seen: HashSet::new(), out: Discovery::default() };
    for path in paths {
        if path.as_os_str() == "-" {
            if !walker.out.inputs.contains(&Input::Stdin) {
                walker.out.inputs.push(Input::Stdin);
            }
            continue;
        }
        let shown = display(path);
        let meta = match fs::metadata(path) {
            Ok(meta) => meta,
            Err(e) => {
                walker.out.errors.push(format!("cannot read `{shown}`: {}", crate::io_reason(&e)));
                continue;
            }
        };
        let absolute = glob::absolute(cwd, path);
        if let Some(pattern) = ignores.iter().find(|p| p.matches(&absolute)) {
            walker
                .out
                .notes
                .push(format!("`{shown}` is ignored by the pattern `{}` ({})", pattern.text, pattern.origin));
            walker.out.ignored += 1;
            continue;
        }
        if meta.is_dir() {
            if is_helm_chart(path) {
                walker.note_chart(&shown);
            } else {
                walker.walk(path, &shown);
            }
        } else {
            walker.add(path, shown, true);
        }
    }
    walker.out
}

/// A path as the user sees it: as written, without a leading `./`.
pub fn display(path: &Path) -> String {
    let text = path.to_string_lossy();
    let mut rest: &str = &text;
    while let Some(stripped) = rest.strip_prefix("./") {
        rest = stripped.trim_start_matches('/');
    }
    if rest.is_empty() { ".".to_owned() } else { rest.to_owned() }
}

fn is_helm_chart(dir: &Path) -> bool {
    dir.join("Chart.yaml").is_file() || dir.join("Chart.yml").is_file()
}

struct Walker<'a> {
    cwd: &'a Path,
    ignores: &'a [Pattern],
    seen: HashSet<PathBuf>,
    out: Discovery,
}

impl Walker<'_> {
    fn add(&mut self, path: &Path, name: String, explicit: bool) {
        let key = fs::canonicalize(path).unwrap_or_else(|_| glob::absolute(self.cwd, path));
        if self.seen.insert(key) {
            self.out.inputs.push(Input::File { path: path.to_owned(), name, explicit });
        }
    }

    fn note_chart(&mut self, shown: &str) {
        self.out.notes.push(format!(
            "skipped the Helm chart `{shown}`: its templates are not manifests until rendered; \
             lint the rendered output instead: `helm template {shown} | kubeharden lint -`"
        ));
    }

    fn walk(&mut self, dir: &Path, shown: &str) {
        let entries = match fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) => {
                self.out.errors.push(format!("cannot read the folder `{shown}`: {}", crate::io_reason(&e)));
                return;
            }
        };
        let mut entries: Vec<(std::ffi::OsString, PathBuf)> =
            entries.filter_map(Result::ok).map(|e| (e.file_name(), e.path())).collect();
        entries.sort();
        for (name, path) in entries {
            let child_shown = if shown == "." {
                name.to_string_lossy().into_owned()
            } else {
                format!("{}/{}", shown.trim_end_matches('/'), name.to_string_lossy())
            };
            // Not following symlinked folders avoids cycles (as ripgrep and git do); symlinked
            // files are read.
            let Ok(link_meta) = fs::symlink_metadata(&path) else { continue };
            let is_link = link_meta.file_type().is_symlink();
            let Ok(meta) = fs::metadata(&path) else { continue };
            let absolute = glob::absolute(self.cwd, &path);
            if meta.is_dir() {
                if is_link || is_hidden(&name) || VENDOR_DIRS.iter().any(|v| name == OsStr::new(v)) {
                    continue;
                }
                if self.ignores.iter().any(|p| p.matches(&absolute)) {
                    continue;
                }
                if is_helm_chart(&path) {
                    self.note_chart(&child_shown);
                    continue;
                }
                self.walk(&path, &child_shown);
            } else if meta.is_file() && !is_hidden(&name) && has_manifest_extension(&path) {
                if self.ignores.iter().any(|p| p.matches(&absolute)) {
                    self.out.ignored += 1;
                    continue;
                }
                self.add(&path, child_shown, false);
            }
        }
    }
}

fn is_hidden(name: &OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

pub fn has_manifest_extension(path: &Path) -> bool {
    path.extension().and_then(OsStr::to_str).is_some_and(|e| EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_strips_dot_slash() {
        assert_eq!(display(Path::new("./a/b.yaml")), "a/b.yaml");
        assert_eq!(display(Path::new(".//a")), "a");
        assert_eq!(display(Path::new(".")), ".");
        assert_eq!(display(Path::new("./")), ".");
        assert_eq!(display(Path::new("../x")), "../x");
        assert_eq!(display(Path::new(".hidden/x")), ".hidden/x");
    }
}
