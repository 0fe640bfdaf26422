//! What the client can do (read from the raw `initialize` parameters, so an unusual client
//! cannot fail the handshake over a field we do not use) and what the server offers.

use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, HoverProviderCapability, SaveOptions,
    ServerCapabilities, TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, WorkDoneProgressOptions, WorkspaceFoldersServerCapabilities,
    WorkspaceServerCapabilities,
};
use serde_json::Value;

use super::position::Encoding;

/// The kind of the "fix all" source action (`editor.codeActionsOnSave: {"source.fixAll": ...}`).
pub const FIX_ALL_KIND: &str = "source.fixAll.kubeharden";

#[derive(Debug, Clone, Copy, Default)]
pub struct ClientCaps {
    /// `workspace/didChangeWatchedFiles` can be registered at run time.
    pub watch_files: bool,
    /// `workspace/didChangeConfiguration` can be registered at run time.
    pub change_configuration: bool,
    /// `workspace/configuration` requests are answered.
    pub configuration: bool,
    /// Workspace edits may carry versioned `documentChanges`.
    pub document_changes: bool,
    /// Hover contents may be Markdown.
    pub hover_markdown: bool,
}

impl ClientCaps {
    pub fn read(params: &Value) -> ClientCaps {
        let flag = |pointer: &str| params.pointer(pointer).and_then(Value::as_bool).unwrap_or(false);
        let hover_formats = params.pointer("/capabilities/textDocument/hover/contentFormat").and_then(Value::as_array);
        ClientCaps {
            watch_files: flag("/capabilities/workspace/didChangeWatchedFiles/dynamicRegistration"),
            change_configuration: flag("/capabilities/workspace/didChangeConfiguration/dynamicRegistration"),
            configuration: flag("/capabilities/workspace/configuration"),
            document_changes: flag("/capabilities/workspace/workspaceEdit/documentChanges"),
            hover_markdown: hover_formats.is_none_or(|f| f.iter().any(|k| k == "markdown")),
        }
    }
}

/// The encodings the client offers, in its order of preference.
pub fn offered_encodings(params: &Value) -> Vec<lsp_types::PositionEncodingKind> {
    params
        .pointer("/capabilities/general/positionEncodings")
        .and_then(Value::as_array)
        .map(|list| list.iter().filter_map(Value::as_str).map(|s| s.to_owned().into()).collect())
        .unwrap_or_default()
}

pub fn server(encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            will_save: None,
            will_save_wait_until: None,
            save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions { include_text: Some(false) })),
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, CodeActionKind::from(FIX_ALL_KIND)]),
            work_done_progress_options: WorkDoneProgressOptions::default(),
            resolve_provider: None,
        })),
        workspace: Some(WorkspaceServerCapabilities {
            workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                supported: Some(true),
                change_notifications: Some(lsp_types::OneOf::Left(true)),
            }),
            file_operations: None,
        }),
        ..ServerCapabilities::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_what_vscode_sends() {
        let params = json!({ "capabilities": {
            "general": { "positionEncodings": ["utf-16"] },
            "workspace": {
                "didChangeWatchedFiles": { "dynamicRegistration": true },
                "configuration": true,
                "workspaceEdit": { "documentChanges": true }
            },
            "textDocument": { "hover": { "contentFormat": ["markdown", "plaintext"] } }
        }});
        let caps = ClientCaps::read(&params);
        assert!(caps.watch_files && caps.configuration && caps.document_changes && caps.hover_markdown);
        assert!(!caps.change_configuration);
        assert_eq!(offered_encodings(&params), vec![lsp_types::PositionEncodingKind::UTF16]);
    }

    #[test]
    fn a_bare_client_gets_defaults() {
        let caps = ClientCaps::read(
            &json!({ "capabilities": { "textDocument": { "hover": { "contentFormat": ["plaintext"] } } } }),
        );
        assert!(!caps.watch_files && !caps.configuration && !caps.hover_markdown);
        assert!(offered_encodings(&json!({})).is_empty());
        let server = serde_json::to_value(server(Encoding::Utf8)).unwrap();
        assert_eq!(server["positionEncoding"], "utf-8");
        assert_eq!(server["textDocumentSync"]["change"], 2);
    }
}
