//! Builtins that are ours rather than regorus': those that cannot run offline, and (see the
//! submodules) those regorus lacks or that need bounds before they run. regorus looks
//! extensions up before its own builtins, so a name here replaces the builtin of that name.

mod bounded;
mod glob;
mod net;
mod offline;
mod regex;
mod rego_string;
mod sprintf;
pub(crate) mod time;
mod yaml;

use core::cell::RefCell;

thread_local! {
    /// What the running evaluation needed and could not have offline (first one wins).
    static NOT_OFFLINE: RefCell<Option<String>> = const { RefCell::new(None) };
}

pub(crate) fn register(engine: &mut regorus::Engine) {
    offline::register(engine);
    bounded::register(engine);
    regex::register(engine);
    glob::register(engine);
    net::register(engine);
    time::register(engine);
    yaml::register(engine);
    sprintf::register(engine);
}

pub(crate) fn begin_evaluation() {
    NOT_OFFLINE.with(|n| n.borrow_mut().take());
    time::begin_evaluation();
}

pub(crate) fn end_evaluation() -> Option<String> {
    NOT_OFFLINE.with(|n| n.borrow_mut().take())
}

/// Records that the evaluation needed `what`, for [`end_evaluation`] to report.
pub(crate) fn needs_cluster(what: &str) {
    NOT_OFFLINE.with(|n| {
        let mut n = n.borrow_mut();
        if n.is_none() {
            *n = Some(what.to_string());
        }
    });
}

/// Registers `f` under `name`; a name registered twice keeps the first (only this crate
/// registers, so that cannot happen).
pub(crate) fn add(
    engine: &mut regorus::Engine,
    name: &str,
    args: u8,
    f: fn(Vec<regorus::Value>) -> anyhow::Result<regorus::Value>,
) {
    let _ = engine.add_extension(name.to_string(), args, Box::new(f));
}
