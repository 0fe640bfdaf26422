//! The workspace as `kubeharden lint` sees a folder: each workspace folder is linted as one
//! input, so cross-file rules (NetworkPolicies, RBAC, ServiceAccounts, Namespaces) see every
//! manifest in it. Files are found by the CLI's discovery and read by its loader; open
//! documents replace their file's text with the editor's. A file open outside every workspace
//! folder is linted on its own, as `kubeharden lint FILE` would.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use kubeharden::{ParsedSource, Source};

use super::documents::{Document, Documents};
use super::eligibility::{self, Skip};
use super::root_config::RootConfig;
use crate::files::{self, Input};
use crate::load;

/// A lint unit: a workspace folder, or a single file outside them.
#[derive(Debug)]
pub struct Root {
    /// The folder (for a single file: its folder, where its configuration is looked up).
    pub dir: PathBuf,
    /// For a single file: its URI.
    pub single: Option<String>,
    pub config: RootConfig,
    /// Files found on disk, in the CLI's order; `None` until first needed.
    discovered: Option<Vec<PathBuf>>,
    pub sources: Sources,
    /// Something changed since the last lint.
    pub dirty: bool,
    /// The files whose diagnostics this root sent last time.
    pub published: BTreeSet<String>,
    /// The configuration file whose problem this root reported.
    pub config_problem_uri: Option<String>,
}

/// Where a source's text came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Disk,
    /// An open document (its URI).
    Open(String),
}

#[derive(Debug, Clone)]
pub struct Slot {
    /// The file, or for a document without one its URI as a path-like key.
    pub key: PathBuf,
    pub origin: Origin,
    order: usize,
}

/// The sources of a root, in lint order, with where each came from.
#[derive(Debug, Default)]
pub struct Sources {
    slots: Vec<Slot>,
    parsed: Vec<ParsedSource>,
}

impl Sources {
    pub fn parsed(&self) -> &[ParsedSource] {
        &self.parsed
    }

    pub fn slots(&self) -> &[Slot] {
        &self.slots
    }

    pub fn index(&self, key: &Path) -> Option<usize> {
        self.slots.iter().position(|s| s.key == key)
    }

    fn set(&mut self, key: PathBuf, origin: Origin, order: usize, parsed: ParsedSource) {
        if let Some(i) = self.index(&key) {
            if let (Some(slot), Some(p)) = (self.slots.get_mut(i), self.parsed.get_mut(i)) {
                slot.origin = origin;
                *p = parsed;
            }
            return;
        }
        let at = self.slots.partition_point(|s| s.order <= order);
        self.slots.insert(at, Slot { key, origin, order });
        self.parsed.insert(at, parsed);
    }

    fn remove(&mut self, key: &Path) {
        if let Some(i) = self.index(key) {
            self.slots.remove(i);
            self.parsed.remove(i);
        }
    }

    /// Runs `f` with one source's text replaced (the fix-all passes lint candidate texts in
    /// the context of the whole folder), then puts the original back.
    pub fn with_replaced<T>(&mut self, index: usize, parsed: ParsedSource, f: impl FnOnce(&[ParsedSource]) -> T) -> T {
        let Some(slot) = self.parsed.get_mut(index) else {
            return f(&self.parsed);
        };
        let original = std::mem::replace(slot, parsed);
        let out = f(&self.parsed);
        if let Some(slot) = self.parsed.get_mut(index) {
            *slot = original;
        }
        out
    }
}

/// Order of the sources that discovery did not find (open documents in hidden folders, new
/// files): after the discovered ones, in the order they were opened.
const EXTRA_ORDER: usize = usize::MAX / 2;

impl Root {
    pub fn folder(dir: PathBuf) -> Root {
        let config = RootConfig::load(&dir, None);
        Root {
            dir,
            single: None,
            config,
            discovered: None,
            sources: Sources::default(),
            dirty: false,
            published: BTreeSet::new(),
            config_problem_uri: None,
        }
    }

    pub fn single(uri: String, path: Option<&Path>) -> Root {
        let dir = path.and_then(Path::parent).map(Path::to_path_buf).or_else(|| std::env::current_dir().ok());
        let dir = dir.unwrap_or_default();
        let config = RootConfig::load(&dir, None);
        Root {
            dir,
            single: Some(uri),
            config,
            discovered: Some(Vec::new()),
            sources: Sources::default(),
            dirty: false,
            published: BTreeSet::new(),
            config_problem_uri: None,
        }
    }

    pub fn is_loaded(&self) -> bool {
        self.discovered.is_some()
    }

    /// Whether a file is inside this folder (single-file roots contain nothing but their file).
    pub fn contains(&self, path: &Path) -> bool {
        self.single.is_none() && path.starts_with(&self.dir)
    }

    /// The name a file goes by in findings: its path relative to the folder, as when
    /// `kubeharden lint` runs there.
    pub fn name_of(&self, key: &Path, uri: Option<&str>) -> String {
        if self.single.is_some() {
            return key.file_name().map_or_else(|| uri.unwrap_or_default().to_owned(), |n| n.to_string_lossy().into());
        }
        match key.strip_prefix(&self.dir) {
            Ok(rel) if !rel.as_os_str().is_empty() => rel.to_string_lossy().into_owned(),
            _ => key.to_string_lossy().into_owned(),
        }
    }

    /// Finds and reads the folder's manifests (once; [`Root::reload`] starts over), then lays
    /// the open documents over them.
    pub fn ensure_loaded(&mut self, documents: &Documents) {
        if self.is_loaded() {
            return;
        }
        let discovery = files::discover(std::slice::from_ref(&self.dir), &self.dir, &self.config.ignores);
        let inputs: Vec<Input> = discovery
            .inputs
            .into_iter()
            .filter_map(|input| match input {
                Input::File { path, .. } => {
                    let name = self.name_of(&path, None);
                    Some(Input::File { path, name, explicit: false })
                }
                Input::Stdin => None,
            })
            .collect();
        let paths: Vec<PathBuf> = inputs
            .iter()
            .filter_map(|i| match i {
                Input::File { path, .. } => Some(path.clone()),
                Input::Stdin => None,
            })
            .collect();
        let order: HashMap<String, usize> = inputs
            .iter()
            .enumerate()
            .filter_map(|(i, input)| match input {
                Input::File { name, .. } => Some((name.clone(), i)),
                Input::Stdin => None,
            })
            .collect();
        let loaded = load::load(&inputs, None, &self.config.config.limits);
        for parsed in loaded.sources.into_iter().filter(is_manifest) {
            if let Some(&at) = order.get(&parsed.name) {
                let key = paths.get(at).cloned().unwrap_or_default();
                self.sources.set(key, Origin::Disk, at, parsed);
            }
        }
        self.discovered = Some(paths);
        for document in documents.iter() {
            if self.owns(document) {
                self.refresh_document(document);
            }
        }
    }

    /// Forgets everything read and reads the configuration again; the next use reloads.
    pub fn reload(&mut self) {
        self.config = RootConfig::load(&self.dir, Some(&self.config));
        self.discovered = None;
        self.sources = Sources::default();
    }

    /// Whether an open document is linted as part of this root.
    pub fn owns(&self, document: &Document) -> bool {
        match (&self.single, &document.path) {
            (Some(uri), _) => *uri == document.uri,
            (None, Some(path)) => self.contains(path),
            (None, None) => false,
        }
    }

    fn key_of(document: &Document) -> PathBuf {
        document.path.clone().unwrap_or_else(|| PathBuf::from(&document.uri))
    }

    /// Puts an open document's current text in place of its file, or takes it out when it is
    /// not a manifest (any more). Returns why it is not linted, if it is not.
    pub fn refresh_document(&mut self, document: &Document) -> Option<Skip> {
        let key = Self::key_of(document);
        match self.parse_document(document, &key) {
            Ok(parsed) => {
                let order = self.order_of(&key);
                self.sources.set(key, Origin::Open(document.uri.clone()), order, parsed);
                None
            }
            Err(skip) => {
                self.sources.remove(&key);
                Some(skip)
            }
        }
    }

    fn parse_document(&self, document: &Document, key: &Path) -> Result<ParsedSource, Skip> {
        if !eligibility::language_is_lintable(&document.language_id) {
            return Err(Skip::Language);
        }
        if let Some(path) = &document.path {
            if let Some(chart) = eligibility::helm_chart_of(path) {
                return Err(Skip::HelmChart(chart));
            }
            if self.config.ignores.iter().any(|p| p.matches(path)) {
                return Err(Skip::Ignored);
            }
        }
        let source = Source::new(self.name_of(key, Some(&document.uri)), document.text.clone());
        let limits = &self.config.config.limits;
        let parsed = std::panic::catch_unwind(|| kubeharden::parse(&source, limits)).map_err(|_| Skip::NotManifest)?;
        if eligibility::is_go_template(&parsed) {
            return Err(Skip::Template);
        }
        if !eligibility::holds_objects(&parsed) {
            return Err(Skip::NotManifest);
        }
        Ok(parsed)
    }

    fn order_of(&self, key: &Path) -> usize {
        let found = self.discovered.as_ref().and_then(|d| d.iter().position(|p| p == key));
        found.unwrap_or_else(|| EXTRA_ORDER + self.sources.slots.len())
    }

    /// A document was closed: its file on disk takes its place again (when discovery found it).
    pub fn close_document(&mut self, document: &Document) {
        let key = Self::key_of(document);
        self.sources.remove(&key);
        self.refresh_disk(&key);
    }

    /// A file changed on disk (and is not open): read it again.
    pub fn refresh_disk(&mut self, path: &Path) {
        let Some(order) = self.discovered.as_ref().and_then(|d| d.iter().position(|p| p == path)) else {
            return;
        };
        if matches!(self.sources.index(path).and_then(|i| self.sources.slots.get(i)), Some(s) if s.origin != Origin::Disk)
        {
            return;
        }
        let name = self.name_of(path, None);
        let loaded = load::load(
            &[Input::File { path: path.to_owned(), name, explicit: false }],
            None,
            &self.config.config.limits,
        );
        match loaded.sources.into_iter().find(is_manifest) {
            Some(parsed) => self.sources.set(path.to_owned(), Origin::Disk, order, parsed),
            None => self.sources.remove(path),
        }
    }

    /// Files were created or deleted: walk the folder again, reading only files not read yet.
    pub fn rediscover(&mut self, documents: &Documents) {
        if !self.is_loaded() || self.single.is_some() {
            return;
        }
        let discovery = files::discover(std::slice::from_ref(&self.dir), &self.dir, &self.config.ignores);
        let paths: Vec<PathBuf> = discovery
            .inputs
            .into_iter()
            .filter_map(|i| match i {
                Input::File { path, .. } => Some(path),
                Input::Stdin => None,
            })
            .collect();
        let gone: Vec<PathBuf> = self
            .sources
            .slots
            .iter()
            .filter(|s| s.origin == Origin::Disk && !paths.contains(&s.key))
            .map(|s| s.key.clone())
            .collect();
        for key in gone {
            self.sources.remove(&key);
        }
        let known: Vec<PathBuf> = self.sources.slots.iter().map(|s| s.key.clone()).collect();
        // Orders follow the new discovery: rebuild the slots that stay in place.
        let kept = std::mem::take(&mut self.sources);
        for (slot, parsed) in kept.slots.into_iter().zip(kept.parsed) {
            let order = paths.iter().position(|p| *p == slot.key).unwrap_or(slot.order);
            self.sources.set(slot.key, slot.origin, order, parsed);
        }
        self.discovered = Some(paths.clone());
        for path in paths.iter().filter(|p| !known.contains(p)) {
            match documents.by_path(path) {
                Some(document) => {
                    self.refresh_document(document);
                }
                None => self.refresh_disk(path),
            }
        }
    }
}

/// A file found on disk is linted when an open document with its text would be: the CLI's
/// test (objects, or YAML that does not parse), narrowed to what is not a Go template and not
/// broken YAML that names no Kubernetes field (a CI file with a syntax error).
fn is_manifest(parsed: &ParsedSource) -> bool {
    !eligibility::is_go_template(parsed) && eligibility::holds_objects(parsed)
}

/// The folders of the workspace and the single files outside them.
#[derive(Debug, Default)]
pub struct Workspace {
    pub roots: Vec<Root>,
}

impl Workspace {
    pub fn add_folder(&mut self, dir: PathBuf) {
        if self.roots.iter().all(|r| r.single.is_some() || r.dir != dir) {
            self.roots.push(Root::folder(dir));
        }
    }

    pub fn remove_folder(&mut self, dir: &Path) {
        self.roots.retain(|r| r.single.is_some() || r.dir != dir);
    }

    /// The roots that lint a document: every folder that contains it (nested workspace folders
    /// both see it), or its own single-file root.
    pub fn roots_of(&self, document: &Document) -> Vec<usize> {
        self.roots.iter().enumerate().filter(|(_, r)| r.owns(document)).map(|(i, _)| i).collect()
    }

    /// The root whose findings a document shows: the innermost folder containing it.
    pub fn home_of(&self, document: &Document) -> Option<usize> {
        self.roots_of(document).into_iter().max_by_key(|&i| self.roots.get(i).map_or(0, |r| r.dir.as_os_str().len()))
    }

    /// Makes sure an open document has a root: a file outside every folder gets its own.
    pub fn adopt(&mut self, document: &Document) {
        if self.roots_of(document).is_empty() {
            self.roots.push(Root::single(document.uri.clone(), document.path.as_deref()));
        }
    }

    /// Drops the single-file root of a closed document.
    pub fn release(&mut self, uri: &str) {
        self.roots.retain(|r| r.single.as_deref() != Some(uri));
    }

    /// The innermost folder that contains a path on disk.
    pub fn innermost_folder(&self, path: &Path) -> Option<usize> {
        self.folders_containing(path)
            .into_iter()
            .max_by_key(|&i| self.roots.get(i).map_or(0, |r| r.dir.as_os_str().len()))
    }

    /// The folders that contain a path on disk.
    pub fn folders_containing(&self, path: &Path) -> Vec<usize> {
        self.roots.iter().enumerate().filter(|(_, r)| r.contains(path)).map(|(i, _)| i).collect()
    }
}
