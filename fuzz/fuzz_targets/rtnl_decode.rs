//! Every rtnetlink decoder on any payload: the message type comes from the input (so each
//! family's decoder is reached), the rest is the message. Decoded or an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nlkit::conn::Protocol;
use nlkit::rtnl::{self, Filter, Rtnl};
use nlkit::wire::{Message, MsgHeader};

const TYPES: [u16; 10] = [16, 17, 20, 21, 24, 25, 28, 29, 32, 33];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, payload)) = data.split_first() else { return };
    let ty = TYPES[pick as usize % TYPES.len()];
    let header = MsgHeader { len: (payload.len() + 16) as u32, ty, flags: 0, seq: 1, pid: 0 };
    let msg = Message { header, payload };
    let _ = rtnl::decode(&msg);
    // The engine's path: decode, then the dump filter.
    for filter in [Filter::default(), Filter { family: Some(2), index: Some(1), table: Some(254), skip_cloned: true }] {
        let _ = Rtnl.decode(&msg, &filter);
    }
});
