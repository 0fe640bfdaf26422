//! The whole server on an in-memory connection, with a linter that panics on one file: the
//! crash costs that file its findings, never the server.

use std::process::ExitCode;
use std::time::Duration;

use kubeharden::{Config, ParsedSource, Report};
use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{Value, json};

fn panics_on_boom(sources: &[ParsedSource], config: &Config) -> Report {
    assert!(sources.iter().all(|s| !s.text.contains("boom")), "a bug in a rule");
    kubeharden::lint_parsed(sources, config)
}

struct Client {
    connection: Connection,
}

impl Client {
    fn send(&self, message: Message) {
        self.connection.sender.send(message).unwrap();
    }

    fn notify(&self, method: &str, params: Value) {
        self.send(Message::Notification(Notification::new(method.into(), params)));
    }

    fn request(&self, id: i32, method: &str, params: Value) -> Value {
        self.send(Message::Request(Request::new(RequestId::from(id), method.into(), params)));
        loop {
            match self.connection.receiver.recv_timeout(Duration::from_secs(10)).unwrap() {
                Message::Response(r) if r.id == RequestId::from(id) => return r.response_result.unwrap_or(Value::Null),
                _ => {}
            }
        }
    }

    /// The next diagnostics of each of `uris`, whatever order they come in.
    fn diagnostics(&self, uris: &[&str]) -> Vec<Vec<Value>> {
        let mut found: Vec<Option<Vec<Value>>> = vec![None; uris.len()];
        while found.iter().any(Option::is_none) {
            if let Message::Notification(n) = self.connection.receiver.recv_timeout(Duration::from_secs(10)).unwrap()
                && n.method == "textDocument/publishDiagnostics"
                && let Some(i) = uris.iter().position(|u| n.params["uri"] == *u)
            {
                found[i] = Some(n.params["diagnostics"].as_array().cloned().unwrap_or_default());
            }
        }
        found.into_iter().flatten().collect()
    }
}

#[test]
fn a_panicking_lint_costs_one_file_and_the_server_goes_on() {
    let (server_side, client_side) = Connection::memory();
    let server = std::thread::spawn(move || super::serve(server_side, panics_on_boom));
    let client = Client { connection: client_side };
    // Both files in one workspace folder: a crash linting the folder falls back to each file.
    let dir = std::env::temp_dir().join(format!("kubeharden-lsp-panic-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let folder = super::uri::from_path(&dir);
    let (good_uri, bad_uri) = (format!("{folder}/good.yaml"), format!("{folder}/bad.yaml"));
    client.request(
        1,
        "initialize",
        json!({ "capabilities": {}, "workspaceFolders": [{ "uri": folder, "name": "w" }], "initializationOptions": { "debounceMs": 0 } }),
    );
    client.notify("initialized", json!({}));

    let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: NAME}\nspec:\n  hostNetwork: true\n  containers: [{name: a, image: nginx:1.27}]\n";
    for (uri, name) in [(&good_uri, "good"), (&bad_uri, "boom")] {
        let text = pod.replace("NAME", name);
        client.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "yaml", "version": 1, "text": text } }),
        );
    }
    let [good, bad] = <[Vec<Value>; 2]>::try_from(client.diagnostics(&[&good_uri, &bad_uri])).unwrap();
    assert!(good.iter().any(|d| d["code"] == "pss-host-namespaces"), "{good:?}");
    assert_eq!(bad.len(), 1, "{bad:?}");
    assert_eq!(bad[0]["code"], "internal-error");

    // The server still answers, and lints the file again once it no longer crashes.
    let hover = client.request(
        2,
        "textDocument/hover",
        json!({ "textDocument": { "uri": good_uri }, "position": { "line": 4, "character": 16 } }),
    );
    assert!(hover["contents"]["value"].as_str().unwrap().contains("pss-host-namespaces"));
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": bad_uri, "version": 2 }, "contentChanges": [{ "text": pod.replace("NAME", "fine") }] }),
    );
    let fixed = client.diagnostics(&[&bad_uri]).remove(0);
    assert!(fixed.iter().any(|d| d["code"] == "pss-host-namespaces"), "{fixed:?}");

    assert_eq!(client.request(3, "shutdown", Value::Null), Value::Null);
    client.notify("exit", Value::Null);
    assert_eq!(server.join().unwrap(), ExitCode::SUCCESS);
    std::fs::remove_dir_all(&dir).unwrap();
}
