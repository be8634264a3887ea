//! A single dump read at the consumer's pace, for any protocol: the monitor's bounded queue
//! instead of one reply in memory, so a listing of a million routes never sits in memory at
//! once (`routeListStream`, a raw connection's `dumpStream`).

use crate::conn::Protocol;
use crate::error::Result;
use crate::monitor::{Dump, Event, Feed, Monitor, MonitorOptions, Notify};
use crate::wire::Message;

/// The feed of a stream: one dump, its objects decoded and filtered by the protocol.
pub struct DumpFeed<P: Protocol> {
    proto: P,
    request: Option<Vec<u8>>,
    filter: P::Filter,
}

impl<P: Protocol> Feed for DumpFeed<P> {
    type Item = P::Object;

    fn protocol(&self) -> i32 {
        self.proto.number()
    }
    fn groups(&self) -> Vec<u32> {
        Vec::new()
    }
    fn dumps(&mut self, _resync: bool) -> Vec<Dump> {
        // After an overflow the stream is broken; the dump is not run again.
        self.request.take().map(|request| Dump { tag: 0, request }).into_iter().collect()
    }
    fn message(&mut self, msg: &Message<'_>, dump: Option<u32>, out: &mut Vec<Event<P::Object>>) {
        if dump.is_none() {
            return;
        }
        match self.proto.decode(msg, &self.filter) {
            Ok(Some(item)) => out.push(Event::Item { item, existing: true }),
            Ok(None) => {}
            Err(e) => out.push(Event::Error(crate::Error::protocol(e))),
        }
    }
    fn is_stream(&self) -> bool {
        true
    }
}

/// Runs the dump `request` (encoded, unstamped) on a socket of its own; its objects arrive as
/// [`Event::Item`]s, then [`Event::End`] (or an error, or an overflow when the consumer fell
/// so far behind that the kernel dropped parts).
pub fn open<P: Protocol>(
    proto: P,
    request: Vec<u8>,
    filter: P::Filter,
    opts: MonitorOptions,
    notify: Box<dyn Notify>,
) -> Result<Monitor<P::Object>> {
    Monitor::open(DumpFeed { proto, request: Some(request), filter }, opts, notify)
}
