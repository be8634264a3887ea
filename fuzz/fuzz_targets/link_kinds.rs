//! Link kinds: any IFLA_INFO_DATA decodes for every kind without a panic, and what a kind
//! decodes encodes again (or is refused with an error, never a panic) and decodes to the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use nlkit::rtnl::link::kinds::{self, EncodeCtx};
use nlkit::wire::{MsgBuilder, NLMSG_HDRLEN};

const KINDS: [&str; 17] = [
    "veth", "bridge", "macvlan", "macvtap", "vxlan", "vlan", "bond", "vrf", "ipvlan", "ipvtap", "gre", "gretap", "ip6gre",
    "ip6gretap", "ipip", "sit", "tun",
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, info)) = data.split_first() else { return };
    let kind = KINDS[pick as usize % KINDS.len()];
    let decoded = kinds::decode(kind, info);
    let mut b = MsgBuilder::new(0, 0);
    let mut ctx = EncodeCtx::default();
    if kinds::encode(kind, &decoded, &mut b, &mut ctx).is_ok() {
        let msg = b.finish();
        let again = kinds::decode(kind, &msg[NLMSG_HDRLEN..]);
        // Encoding what was decoded, then decoding it, gives the same settings back.
        assert_eq!(kinds::decode(kind, &{
            let mut b2 = MsgBuilder::new(0, 0);
            let _ = kinds::encode(kind, &again, &mut b2, &mut EncodeCtx::default());
            b2.finish()
        }[NLMSG_HDRLEN..]), again, "{kind}: encode/decode is not stable");
    }
});
