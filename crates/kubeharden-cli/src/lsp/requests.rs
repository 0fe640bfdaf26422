//! Requests from the client and their answers.

use lsp_server::{ErrorCode, Message, Request, Response};

use super::server::Server;

impl Server {
    pub fn request(&mut self, request: Request) {
        let response = match request.method.as_str() {
            "initialize" => Response::new_err(
                request.id,
                ErrorCode::InvalidRequest as i32,
                "the server is already initialized".into(),
            ),
            method => Response::new_err(
                request.id,
                ErrorCode::MethodNotFound as i32,
                format!("kubeharden does not answer {method}"),
            ),
        };
        self.send(Message::Response(response));
    }
}
