//! A trace callback for any handle: the core formats each datagram on the thread that sends or
//! receives it, and the text reaches JS through a threadsafe function with a bounded queue.
//! A callback never makes the I/O thread wait: when JS falls behind, datagrams are counted as
//! dropped and the next line that gets through says how many. Stderr is written directly.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use napi::bindgen_prelude::*;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use nlkit::trace::Tracer;

/// Datagrams waiting for the JS thread before more are dropped.
const QUEUE: usize = 4096;

type TraceFn = ThreadsafeFunction<String, (), String, Status, false, true, QUEUE>;

/// A tracer calling `f` with the text of each datagram (one line per message), or writing it to
/// stderr from the core's threads. Weak: tracing alone does not keep the process alive, so text
/// still queued for `f` when the process exits is lost (stderr loses nothing).
pub fn tracer(f: Option<Function<String, ()>>) -> Result<Tracer> {
    let Some(f) = f else { return Ok(Tracer::stderr()) };
    let tsfn: TraceFn = f.build_threadsafe_function().callee_handled::<false>().weak::<true>().max_queue_size::<QUEUE>().build()?;
    let dropped = Arc::new(AtomicU64::new(0));
    Ok(Tracer::new(move |text: String| {
        let lost = dropped.swap(0, Ordering::Relaxed);
        let text = if lost == 0 { text } else { format!("nlkit: {lost} trace datagrams dropped (the trace callback fell behind)\n{text}") };
        if tsfn.call(text, ThreadsafeFunctionCallMode::NonBlocking) == Status::QueueFull {
            dropped.fetch_add(lost + 1, Ordering::Relaxed);
        }
    }))
}
