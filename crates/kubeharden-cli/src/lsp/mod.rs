//! `kubeharden lsp`: a Language Server Protocol server over stdio, for editors.
//!
//! One thread runs the server: it reads messages, keeps the open documents, and lints a
//! workspace folder when a document in it has been left alone for the debounce (or at once
//! when a request needs fresh findings). Linting is fast enough (milliseconds for a
//! thousand-line file) that a worker thread would buy nothing but locking. stdout carries only
//! protocol messages; stderr is for the rare log line.

mod actions;
mod applicability;
mod capabilities;
mod client_settings;
mod diagnostics;
mod documents;
mod eligibility;
mod exempt;
mod field_docs;
mod hover;
mod lint;
mod position;
mod requests;
mod root_config;
mod schema_docs;
mod server;
mod uri;
mod watch;
mod workspace;

#[cfg(test)]
mod tests;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::process::ExitCode;
use std::time::Instant;

use lsp_server::{Connection, ErrorCode, Message, Response};

use self::server::Server;

/// Serves one client over stdin/stdout until it sends `exit` (or goes away).
pub fn run() -> ExitCode {
    if !cfg!(panic = "unwind") {
        eprintln!(
            "kubeharden lsp: this binary was built with panic=abort, so a bug in one lint would end the server; \
             build it with `--profile release-cli`"
        );
    }
    let (connection, io_threads) = Connection::stdio();
    let code = serve(connection, lint::with_policies);
    // The reader thread ends after `exit`, the writer once the last message is out.
    if let Err(e) = io_threads.join() {
        eprintln!("kubeharden lsp: {e}");
    }
    code
}

/// The protocol from `initialize` to `exit`, on any connection (tests use an in-memory one).
pub fn serve(connection: Connection, linter: lint::Linter) -> ExitCode {
    let (id, params) = match connection.initialize_start() {
        Ok(start) => start,
        Err(e) => {
            eprintln!("kubeharden lsp: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut server = Server::new(connection, &params, linter);
    server.send(Message::Response(Response::new_ok(id, server.initialize_result())));
    main_loop(&mut server)
}

fn main_loop(server: &mut Server) -> ExitCode {
    let mut shutting_down = false;
    loop {
        let message = match server.deadline {
            Some(deadline) => {
                let wait = deadline.saturating_duration_since(Instant::now());
                match server.connection.receiver.recv_timeout(wait) {
                    Ok(message) => message,
                    Err(e) if e.is_timeout() => {
                        guarded(server, "linting", Server::flush);
                        continue;
                    }
                    Err(_) => return ExitCode::FAILURE,
                }
            }
            None => match server.connection.receiver.recv() {
                Ok(message) => message,
                // The client went away without `exit`.
                Err(_) => return ExitCode::FAILURE,
            },
        };
        match message {
            Message::Request(request) => {
                if shutting_down {
                    let error = Response::new_err(
                        request.id,
                        ErrorCode::InvalidRequest as i32,
                        "the server is shutting down".into(),
                    );
                    server.send(Message::Response(error));
                } else if request.method == "shutdown" {
                    shutting_down = true;
                    server.send(Message::Response(Response::new_ok(request.id, ())));
                } else {
                    let id = request.id.clone();
                    let answered = catch_unwind(AssertUnwindSafe(|| server.request(request)));
                    if answered.is_err() {
                        let error = Response::new_err(
                            id,
                            ErrorCode::InternalError as i32,
                            "kubeharden crashed while answering; please report it".into(),
                        );
                        server.send(Message::Response(error));
                    }
                }
            }
            Message::Notification(notification) => {
                if notification.method == "exit" {
                    // Exit code 0 only after a proper shutdown, as the protocol asks.
                    return if shutting_down { ExitCode::SUCCESS } else { ExitCode::FAILURE };
                }
                if !shutting_down {
                    let method = notification.method;
                    let params = notification.params;
                    guarded(server, &method.clone(), move |s| s.notification(&method, params));
                }
            }
            Message::Response(response) => server.response(response),
        }
    }
}

/// Runs a step of the server; a panic in it is logged and the server goes on.
fn guarded(server: &mut Server, what: &str, step: impl FnOnce(&mut Server)) {
    if catch_unwind(AssertUnwindSafe(|| step(server))).is_err() {
        eprintln!("kubeharden lsp: internal error while handling {what}; the server goes on");
    }
}
