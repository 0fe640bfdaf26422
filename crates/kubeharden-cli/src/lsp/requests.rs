//! Requests from the client and their answers.

use lsp_server::{ErrorCode, Message, Request, Response};
use serde::de::DeserializeOwned;

use super::server::Server;

impl Server {
    pub fn request(&mut self, request: Request) {
        let Request { id, method, params } = request;
        let response = match method.as_str() {
            "textDocument/hover" => match parse(params) {
                Ok(p) => Response::new_ok(id, self.hover(&p)),
                Err(e) => invalid(id, e),
            },
            "textDocument/codeAction" => match parse(params) {
                Ok(p) => Response::new_ok(id, self.code_actions(&p)),
                Err(e) => invalid(id, e),
            },
            "initialize" => {
                Response::new_err(id, ErrorCode::InvalidRequest as i32, "the server is already initialized".into())
            }
            method => {
                Response::new_err(id, ErrorCode::MethodNotFound as i32, format!("kubeharden does not answer {method}"))
            }
        };
        self.send(Message::Response(response));
    }
}

fn parse<T: DeserializeOwned>(params: serde_json::Value) -> Result<T, String> {
    serde_json::from_value(params).map_err(|e| e.to_string())
}

fn invalid(id: lsp_server::RequestId, error: String) -> Response {
    Response::new_err(id, ErrorCode::InvalidParams as i32, error)
}
