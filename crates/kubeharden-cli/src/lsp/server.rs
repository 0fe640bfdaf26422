//! The server's state and what each notification does to it: documents, the workspace, the
//! settings, the pending (debounced) lint, and the diagnostics last sent for each file.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use kubeharden::{Config, Finding};
use lsp_server::{Message, Notification, Request, RequestId};
use lsp_types::{Diagnostic, MessageType, PublishDiagnosticsParams};
use serde_json::{Value, json};

use super::capabilities::{self, ClientCaps};
use super::client_settings::{ClientSettings, Scope};
use super::diagnostics;
use super::documents::{Document, Documents};
use super::eligibility::Skip;
use super::field_docs::FieldDocs;
use super::lint::{self, Linter};
use super::position::{Encoding, LineMap};
use super::schema_docs::SchemaFieldDocs;
use super::uri;
use super::workspace::{Origin, Workspace};

/// The findings a document's diagnostics came from, with the text they were computed on, for
/// code actions and hover.
#[derive(Debug)]
pub struct Linted {
    pub version: i32,
    pub text: String,
    pub map: LineMap,
    pub findings: Vec<Finding>,
}

/// Diagnostics ready to send: the file, its version when open, the list, and what code actions
/// and hover need when it is open.
type Ready = (String, Option<i32>, Vec<Diagnostic>, Option<Linted>);

/// Requests the server sent and awaits an answer to.
#[derive(Debug, Clone, Copy)]
enum Awaited {
    Configuration,
    Registration,
}

pub struct Server {
    pub connection: lsp_server::Connection,
    pub encoding: Encoding,
    pub caps: ClientCaps,
    pub settings: ClientSettings,
    pub documents: Documents,
    pub workspace: Workspace,
    pub linted: HashMap<String, Linted>,
    /// Where hover finds a field's documentation.
    pub field_docs: Box<dyn FieldDocs>,
    published: HashMap<String, Vec<Diagnostic>>,
    /// Documents changed since their last lint.
    pending: BTreeSet<String>,
    /// When the pending lint runs (the debounce).
    pub deadline: Option<Instant>,
    skipped: HashMap<String, Skip>,
    outgoing: HashMap<RequestId, Awaited>,
    next_id: i32,
    pub linter: Linter,
}

impl Server {
    pub fn new(connection: lsp_server::Connection, params: &Value, linter: Linter) -> Server {
        let encoding = Encoding::negotiate(Some(&capabilities::offered_encodings(params)));
        let (settings, problems) =
            ClientSettings::from_json(params.get("initializationOptions").unwrap_or(&Value::Null));
        let mut server = Server {
            connection,
            encoding,
            caps: ClientCaps::read(params),
            settings,
            documents: Documents::default(),
            workspace: Workspace::default(),
            linted: HashMap::new(),
            field_docs: Box::new(SchemaFieldDocs::default()),
            published: HashMap::new(),
            pending: BTreeSet::new(),
            deadline: None,
            skipped: HashMap::new(),
            outgoing: HashMap::new(),
            next_id: 0,
            linter,
        };
        for folder in workspace_folders(params) {
            server.workspace.add_folder(folder);
        }
        server.warn(&problems);
        server
    }

    pub fn initialize_result(&self) -> Value {
        json!({
            "capabilities": capabilities::server(self.encoding),
            "serverInfo": { "name": "kubeharden", "version": kubeharden::VERSION },
        })
    }

    // ---- sending -------------------------------------------------------------------------

    pub fn send(&self, message: Message) {
        // A closed channel means the client is gone; the main loop notices on its next read.
        let _ = self.connection.sender.send(message);
    }

    pub fn notify(&self, method: &str, params: impl serde::Serialize) {
        self.send(Message::Notification(Notification::new(method.to_owned(), params)));
    }

    fn send_request(&mut self, method: &str, params: Value, kind: Awaited) {
        self.next_id += 1;
        let id = RequestId::from(format!("kubeharden-{}", self.next_id));
        self.outgoing.insert(id.clone(), kind);
        self.send(Message::Request(Request::new(id, method.to_owned(), params)));
    }

    pub fn log(&self, kind: MessageType, message: &str) {
        self.notify("window/logMessage", json!({ "type": kind, "message": message }));
    }

    fn warn(&self, problems: &[String]) {
        if !problems.is_empty() {
            let message = format!("kubeharden settings: {}", problems.join("; "));
            self.notify("window/showMessage", json!({ "type": MessageType::WARNING, "message": message }));
        }
    }

    // ---- notifications -------------------------------------------------------------------

    pub fn notification(&mut self, method: &str, params: Value) {
        match method {
            "initialized" => self.initialized(),
            "textDocument/didOpen" => self.did_open(&params),
            "textDocument/didChange" => self.did_change(params),
            "textDocument/didClose" => self.did_close(&params),
            "textDocument/didSave" => self.did_save(&params),
            "workspace/didChangeConfiguration" => self.did_change_configuration(&params),
            "workspace/didChangeWorkspaceFolders" => self.did_change_folders(&params),
            "workspace/didChangeWatchedFiles" => super::watch::did_change_watched_files(self, &params),
            _ => {} // `$/cancelRequest`, `$/setTrace` and the like need nothing.
        }
    }

    fn initialized(&mut self) {
        if self.caps.watch_files {
            let registration = super::watch::registration();
            self.send_request("client/registerCapability", registration, Awaited::Registration);
        }
        if self.caps.change_configuration {
            let params = json!({ "registrations": [{ "id": "kubeharden-configuration", "method": "workspace/didChangeConfiguration" }] });
            self.send_request("client/registerCapability", params, Awaited::Registration);
        }
        self.pull_configuration();
        if self.settings.scope == Scope::Workspace {
            self.lint_everything();
        }
    }

    fn did_open(&mut self, params: &Value) {
        let Some(item) = params.get("textDocument") else { return };
        let text_of = |key: &str| item.get(key).and_then(Value::as_str).unwrap_or_default().to_owned();
        let uri = text_of("uri");
        let document = Document {
            path: uri::to_path(&uri),
            uri: uri.clone(),
            language_id: text_of("languageId"),
            version: item.get("version").and_then(Value::as_i64).and_then(|v| i32::try_from(v).ok()).unwrap_or(0),
            text: text_of("text"),
        };
        self.workspace.adopt(&document);
        self.documents.open(document);
        // A newly opened file is linted at once; only edits wait for the debounce.
        self.pending.insert(uri);
        self.deadline = Some(Instant::now());
    }

    fn did_change(&mut self, params: Value) {
        let Ok(params) = serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(params) else { return };
        let uri = params.text_document.uri.as_str().to_owned();
        let encoding = self.encoding;
        let Some(document) = self.documents.get_mut(&uri) else { return };
        document.apply(params.content_changes, params.text_document.version, encoding);
        self.pending.insert(uri);
        self.deadline = Some(Instant::now() + Duration::from_millis(self.settings.debounce_ms));
    }

    fn did_close(&mut self, params: &Value) {
        let Some(uri) = params.pointer("/textDocument/uri").and_then(Value::as_str) else { return };
        let Some(document) = self.documents.close(uri) else { return };
        self.pending.remove(uri);
        self.linted.remove(uri);
        self.skipped.remove(uri);
        for i in self.workspace.roots_of(&document) {
            if let Some(root) = self.workspace.roots.get_mut(i)
                && root.is_loaded()
            {
                root.close_document(&document);
                root.dirty = true;
            }
        }
        self.workspace.release(uri);
        if self.settings.scope == Scope::OpenFiles || document.path.is_none() {
            self.publish(uri, None, Vec::new());
        }
        self.deadline = Some(Instant::now());
    }

    fn did_save(&mut self, params: &Value) {
        // Without file watching, a save is the only sign that a configuration file changed.
        if self.caps.watch_files {
            return;
        }
        if let Some(path) = params.pointer("/textDocument/uri").and_then(Value::as_str).and_then(uri::to_path) {
            super::watch::file_changed(self, &path, super::watch::Change::Changed);
        }
    }

    fn did_change_configuration(&mut self, params: &Value) {
        if self.caps.configuration {
            self.pull_configuration();
        } else if let Some(settings) = params.get("settings").filter(|s| !s.is_null()) {
            self.apply_settings(settings);
        }
    }

    fn pull_configuration(&mut self) {
        if self.caps.configuration {
            self.send_request(
                "workspace/configuration",
                json!({ "items": [{ "section": "kubeharden" }] }),
                Awaited::Configuration,
            );
        }
    }

    fn apply_settings(&mut self, value: &Value) {
        let (settings, problems) = ClientSettings::from_json(value);
        self.warn(&problems);
        if settings == self.settings {
            return;
        }
        let scope_changed = settings.scope != self.settings.scope;
        self.settings = settings;
        if scope_changed {
            // Files that are not open lose (or gain) their diagnostics.
            for uri in self.published.keys().cloned().collect::<Vec<_>>() {
                if self.documents.get(&uri).is_none() {
                    self.publish(&uri, None, Vec::new());
                }
            }
        }
        self.lint_everything();
    }

    fn did_change_folders(&mut self, params: &Value) {
        let folders = |key: &str| -> Vec<PathBuf> {
            params
                .pointer(&format!("/event/{key}"))
                .and_then(Value::as_array)
                .map(|list| list.iter().filter_map(|f| f.get("uri")?.as_str().and_then(uri::to_path)).collect())
                .unwrap_or_default()
        };
        for dir in folders("removed") {
            self.workspace.remove_folder(&dir);
        }
        for dir in folders("added") {
            self.workspace.add_folder(dir);
        }
        // Documents move between folders and single-file roots.
        let documents: Vec<Document> = self.documents.iter().cloned().collect();
        for document in &documents {
            self.workspace.release(&document.uri);
            self.workspace.adopt(document);
        }
        self.lint_everything();
    }

    /// Documents to lay over their files again at the next lint.
    pub fn mark_pending(&mut self, uris: Vec<String>) {
        self.pending.extend(uris);
    }

    /// Marks every root for linting now (settings or configuration changed).
    pub fn lint_everything(&mut self) {
        for root in &mut self.workspace.roots {
            root.dirty = true;
        }
        self.pending.extend(self.documents.iter().map(|d| d.uri.clone()));
        self.deadline = Some(Instant::now());
    }

    // ---- responses to our requests -------------------------------------------------------

    pub fn response(&mut self, response: lsp_server::Response) {
        match self.outgoing.remove(&response.id) {
            Some(Awaited::Configuration) => {
                // `null`: the client has no such section (Neovim without `settings`, Helix with
                // a flat `config`); the initialization options stay in force.
                if let Ok(Value::Array(items)) = &response.response_result
                    && let Some(first) = items.first().filter(|v| !v.is_null()).cloned()
                {
                    self.apply_settings(&first);
                }
            }
            Some(Awaited::Registration) => {
                if let Err(error) = response.response_result {
                    eprintln!("kubeharden lsp: the client refused a registration: {}", error.message);
                }
            }
            None => {}
        }
    }

    // ---- linting -------------------------------------------------------------------------

    /// Lints now if `uri` is waiting for its debounced lint, so requests about a document
    /// answer from its current text.
    pub fn flush_for(&mut self, uri: &str) {
        let stale =
            self.documents.get(uri).is_some_and(|d| self.linted.get(uri).is_none_or(|l| l.version != d.version));
        if self.pending.contains(uri) || stale {
            self.flush();
        }
    }

    /// Runs the pending lint: updates the changed documents in their roots, lints the roots
    /// that changed, and sends the diagnostics that differ from those last sent.
    pub fn flush(&mut self) {
        self.deadline = None;
        let pending = std::mem::take(&mut self.pending);
        for uri in &pending {
            let Some(document) = self.documents.get(uri).cloned() else { continue };
            for i in self.workspace.roots_of(&document) {
                let Some(root) = self.workspace.roots.get_mut(i) else { continue };
                root.ensure_loaded(&self.documents);
                let skip = root.refresh_document(&document);
                root.dirty = true;
                if self.workspace.home_of(&document) == Some(i) {
                    self.note_skip(&document, skip);
                }
            }
        }
        for i in 0..self.workspace.roots.len() {
            if self.workspace.roots.get(i).is_some_and(|r| r.dirty) {
                self.lint_root(i);
            }
        }
    }

    fn note_skip(&mut self, document: &Document, skip: Option<Skip>) {
        let changed = self.skipped.get(&document.uri) != skip.as_ref();
        match skip {
            Some(skip) => {
                if changed {
                    let why = match &skip {
                        Skip::Language => format!("its language is {}, not YAML or JSON", document.language_id),
                        Skip::HelmChart(chart) => {
                            format!(
                                "it belongs to the Helm chart {} (lint `helm template` output instead)",
                                chart.display()
                            )
                        }
                        Skip::Template => "it is a Go template (`{{ }}` actions), not YAML yet".to_owned(),
                        Skip::NotManifest => "it holds no Kubernetes object (apiVersion and kind)".to_owned(),
                        Skip::Ignored => "the configuration's `ignore` patterns match it".to_owned(),
                    };
                    self.log(MessageType::LOG, &format!("kubeharden: not linting {}: {why}", document.uri));
                }
                self.skipped.insert(document.uri.clone(), skip);
            }
            None => {
                self.skipped.remove(&document.uri);
            }
        }
    }

    /// The configuration a root lints with: its file, the editor's settings on top, today's
    /// date for exemptions that expire.
    pub fn config_of(&self, root: usize) -> Config {
        let mut config = self.workspace.roots.get(root).map(|r| r.config.config.clone()).unwrap_or_default();
        self.settings.apply(&mut config);
        if config.today.is_none() {
            config.today = Some(crate::today_utc());
        }
        config
    }

    fn lint_root(&mut self, i: usize) {
        let config = self.config_of(i);
        let scope = self.settings.scope;
        let linter = self.linter;
        let Some(root) = self.workspace.roots.get_mut(i) else { return };
        root.dirty = false;
        let wanted = scope == Scope::Workspace && root.single.is_none();
        let has_open = self.documents.iter().any(|d| root.owns(d));
        if !wanted && !has_open {
            return;
        }
        root.ensure_loaded(&self.documents);
        let outcome = lint::lint(root.sources.parsed(), &config, linter);

        let mut sent = BTreeSet::new();
        let mut batch: Vec<Ready> = Vec::new();
        for (slot, parsed) in root.sources.slots().iter().zip(root.sources.parsed()) {
            let (uri, open) = match &slot.origin {
                Origin::Open(uri) => (uri.clone(), self.documents.get(uri)),
                Origin::Disk => (uri::from_path(&slot.key), None),
            };
            if open.is_none() && !wanted {
                continue;
            }
            let findings: Vec<Finding> = outcome
                .findings
                .get(&parsed.name)
                .map(|f| f.iter().filter(|f| f.suppressed.is_none()).cloned().collect())
                .unwrap_or_default();
            let map = LineMap::new(&parsed.text);
            let mut list: Vec<Diagnostic> =
                findings.iter().map(|f| diagnostics::from_finding(f, &parsed.text, &map, self.encoding)).collect();
            if outcome.crashed.contains(&parsed.name) {
                list.push(diagnostics::crashed());
            }
            let linted = open.map(|d| Linted { version: d.version, text: parsed.text.clone(), map, findings });
            sent.insert(uri.clone());
            batch.push((uri, open.map(|d| d.version), list, linted));
        }
        // Open documents of this root that are not linted (not manifests) show nothing.
        let unlinted: Vec<&Document> =
            self.documents.iter().filter(|d| root.owns(d) && !sent.contains(&d.uri)).collect();
        for document in unlinted {
            let map = LineMap::new(&document.text);
            let linted = Linted { version: document.version, text: document.text.clone(), map, findings: Vec::new() };
            sent.insert(document.uri.clone());
            batch.push((document.uri.clone(), Some(document.version), Vec::new(), Some(linted)));
        }
        let gone: Vec<String> = root.published.difference(&sent).cloned().collect();
        root.published = sent;
        let config_problem = root.config.problem.clone();

        for (uri, version, list, linted) in batch {
            // A file inside nested workspace folders shows the innermost folder's findings.
            let home = match self.documents.get(&uri) {
                Some(document) => self.workspace.home_of(document),
                None => uri::to_path(&uri).and_then(|p| self.workspace.innermost_folder(&p)),
            };
            if home.is_some_and(|h| h != i) {
                continue;
            }
            if let Some(linted) = linted {
                self.linted.insert(uri.clone(), linted);
            }
            self.publish(&uri, version, list);
        }
        for uri in gone {
            if self.documents.get(&uri).is_none() {
                self.publish(&uri, None, Vec::new());
            }
        }
        self.publish_config_problem(i, config_problem);
    }

    /// A configuration file that cannot be used gets a diagnostic; once it can (or is gone),
    /// the diagnostic is taken back.
    fn publish_config_problem(&mut self, root: usize, problem: Option<super::root_config::ConfigProblem>) {
        let previous = self.workspace.roots.get_mut(root).and_then(|r| r.config_problem_uri.take());
        let now = problem.map(|problem| {
            let document = self.documents.by_path(&problem.file);
            let uri = document.map_or_else(|| uri::from_path(&problem.file), |d| d.uri.clone());
            let version = document.map(|d| d.version);
            self.publish(&uri, version, vec![diagnostics::config_problem(&problem)]);
            uri
        });
        if let Some(previous) = previous.filter(|p| now.as_ref() != Some(p)) {
            self.publish(&previous, None, Vec::new());
        }
        if let Some(root) = self.workspace.roots.get_mut(root) {
            root.config_problem_uri = now;
        }
    }

    /// Sends a file's diagnostics unless they are the ones last sent.
    pub fn publish(&mut self, uri: &str, version: Option<i32>, list: Vec<Diagnostic>) {
        let unchanged = match self.published.get(uri) {
            Some(previous) => *previous == list,
            None => list.is_empty(),
        };
        if unchanged {
            return;
        }
        let Ok(parsed_uri) = uri.parse::<lsp_types::Uri>() else { return };
        self.notify(
            "textDocument/publishDiagnostics",
            PublishDiagnosticsParams { uri: parsed_uri, diagnostics: list.clone(), version },
        );
        if list.is_empty() {
            self.published.remove(uri);
        } else {
            self.published.insert(uri.to_owned(), list);
        }
    }
}

/// The workspace folders of `initialize` (or its root, from clients that send only that).
fn workspace_folders(params: &Value) -> Vec<PathBuf> {
    let folders: Vec<PathBuf> = params
        .get("workspaceFolders")
        .and_then(Value::as_array)
        .map(|list| list.iter().filter_map(|f| f.get("uri")?.as_str().and_then(uri::to_path)).collect())
        .unwrap_or_default();
    if !folders.is_empty() {
        return folders;
    }
    let root = params.get("rootUri").and_then(Value::as_str).and_then(uri::to_path);
    root.or_else(|| params.get("rootPath").and_then(Value::as_str).map(PathBuf::from)).into_iter().collect()
}
