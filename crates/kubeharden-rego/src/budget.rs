//! Bounds on one evaluation: a deterministic work budget and a memory ceiling.
//!
//! regorus checks an execution timer at every scheduling step of its interpreter (each
//! statement, loop iteration, comprehension element, function or builtin call). Built
//! without its `std` feature it reads time from a source the embedder installs, and that
//! is the hook used here: the installed source is not a clock but a per-thread counter of
//! the checks themselves, so "elapsed time" is the number of work units spent. A policy
//! stops after the same number of steps on every machine and in every front end (a
//! wall-clock limit would make the findings depend on the speed of the machine, and
//! `std::time::Instant` traps in `wasm32-unknown-unknown`).
//!
//! The same source enforces the memory ceiling: at every check it asks the memory probe
//! how much this thread holds and, above the ceiling, reports the time as exhausted. Between
//! two checks one builtin call may still grow memory by what its arguments allow; the
//! builtins that can multiply their input (string replacement, joining, number ranges,
//! formatting) are bounded before they run (see `builtins::guard`).

use core::cell::Cell;
use core::num::NonZeroU32;
use core::time::Duration;
use std::sync::Once;

use regorus::utils::limits::{ExecutionTimerConfig, TimeSource, set_time_source};

/// How much one evaluation (one object against one policy) may spend.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    /// Interpreter steps (statements, iterations, calls). Gatekeeper library templates need
    /// a few hundred to a few thousand per object.
    pub work: u64,
    /// Bytes the evaluation may hold above what was held when it started.
    pub memory: u64,
}

impl Default for Budget {
    fn default() -> Self {
        Budget { work: 2_000_000, memory: 256 << 20 }
    }
}

/// Why an evaluation was stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exhausted {
    Work { limit: u64 },
    Memory { limit: u64 },
}

impl core::fmt::Display for Exhausted {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Exhausted::Work { limit } => write!(f, "the policy ran out of its work budget ({limit} evaluation steps)"),
            Exhausted::Memory { limit } => {
                write!(f, "the policy ran out of its memory budget ({} MiB)", limit >> 20)
            }
        }
    }
}

thread_local! {
    static STEPS: Cell<u64> = const { Cell::new(0) };
    static MEMORY: Cell<Option<MemoryWatch>> = const { Cell::new(None) };
    static OVER_MEMORY: Cell<Option<u64>> = const { Cell::new(None) };
}

#[derive(Clone, Copy)]
struct MemoryWatch {
    baseline: u64,
    limit: u64,
}

/// A source of "time" that counts the interpreter's checks on this thread.
struct StepCounter;

impl TimeSource for StepCounter {
    fn now(&self) -> Option<Duration> {
        let steps = STEPS.with(|s| {
            let next = s.get().saturating_add(1);
            s.set(next);
            next
        });
        if let Some(watch) = MEMORY.with(Cell::get) {
            let held = memory_in_use();
            if held.saturating_sub(watch.baseline) > watch.limit {
                OVER_MEMORY.with(|o| o.set(Some(watch.limit)));
                // Far past any work limit: the interpreter stops at this check.
                return Some(Duration::from_nanos(u64::MAX / 2));
            }
        }
        Some(Duration::from_nanos(steps))
    }
}

static STEP_COUNTER: StepCounter = StepCounter;
static INSTALL: Once = Once::new();

fn install() {
    INSTALL.call_once(|| {
        // Only this crate installs a source; a second call cannot happen under `Once`.
        let _ = set_time_source(&STEP_COUNTER);
    });
}

/// The timer configuration that makes regorus stop after `budget.work` steps, and arms the
/// memory watch for the evaluation that follows on this thread.
pub(crate) fn arm(budget: &Budget) -> ExecutionTimerConfig {
    install();
    OVER_MEMORY.with(|o| o.set(None));
    MEMORY.with(|m| m.set(Some(MemoryWatch { baseline: memory_in_use(), limit: budget.memory })));
    ExecutionTimerConfig { limit: Duration::from_nanos(budget.work), check_interval: NonZeroU32::MIN }
}

/// Ends the memory watch; says whether the evaluation was stopped for memory.
pub(crate) fn disarm() -> Option<u64> {
    MEMORY.with(|m| m.set(None));
    OVER_MEMORY.with(Cell::take)
}

/// Bytes this process holds, as far as the platform tells cheaply: the size of the linear
/// memory in wasm (it only grows, which is what a ceiling needs), the allocator's count on
/// native targets where the embedder installed one (see [`set_memory_probe`]).
pub fn memory_in_use() -> u64 {
    #[cfg(target_arch = "wasm32")]
    {
        (core::arch::wasm32::memory_size(0) as u64) << 16
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        PROBE.get().map_or(0, |probe| probe())
    }
}

#[cfg(not(target_arch = "wasm32"))]
static PROBE: std::sync::OnceLock<fn() -> u64> = std::sync::OnceLock::new();

/// Installs how native builds learn the bytes in use (for example a counting global
/// allocator's total). Without a probe, native evaluations are bounded by work only.
#[cfg(not(target_arch = "wasm32"))]
pub fn set_memory_probe(probe: fn() -> u64) {
    let _ = PROBE.set(probe);
}
