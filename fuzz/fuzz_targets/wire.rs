//! Framing, attributes and NLMSG_ERROR / NLMSG_DONE with extended ACK: any bytes decode or
//! fail, never panic, never read out of bounds.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nlkit::wire;

fuzz_target!(|data: &[u8]| {
    for m in wire::messages(data) {
        let Ok(m) = m else { break };
        for flags in [m.header.flags, m.header.flags | wire::NLM_F_ACK_TLVS, m.header.flags | wire::NLM_F_CAPPED] {
            let _ = wire::parse_error(flags, m.payload);
            let _ = wire::parse_done(flags, m.payload);
        }
        // Attributes after each family header size the rtnetlink families use.
        for hdr in [0usize, 4, 8, 12, 16, 20] {
            if let Some(a) = m.payload.get(hdr..) {
                for x in wire::attrs(a).flatten() {
                    let _ = (wire::attr_u8(x.1), wire::attr_u32(x.1), wire::attr_u64(x.1), wire::attr_str(x.1));
                    for y in wire::attrs(x.1).flatten() {
                        let _ = wire::attr_str(y.1);
                    }
                }
            }
        }
    }
});
