//! `http.send` and Gatekeeper's external data: a cluster (or the network) answers them, so
//! offline an evaluation that reaches one stops and says so, rather than guessing.

use regorus::Value;

use super::{add, needs_cluster};

pub(super) fn register(engine: &mut regorus::Engine) {
    add(engine, "http.send", 1, http_send);
    add(engine, "external_data", 1, external_data);
}

fn http_send(_: Vec<Value>) -> anyhow::Result<Value> {
    needs_cluster("http.send");
    Err(anyhow::anyhow!("http.send is not available offline"))
}

fn external_data(_: Vec<Value>) -> anyhow::Result<Value> {
    needs_cluster("external_data");
    Err(anyhow::anyhow!("external_data (Gatekeeper external data providers) is not available offline"))
}
