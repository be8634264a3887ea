//! Channels (`ethtool -l`), rings (`-g`) and coalesce (`-c`): flat sets of numbers, one table
//! each (attribute, key, width). A device reports only what it has; absent keys are left out.

use crate::genl::table::{self, Table, W};
use crate::rtnl::settings::Settings;

pub const CHANNELS: Table = &[
    (2, "rxMax", W::U32),
    (3, "txMax", W::U32),
    (4, "otherMax", W::U32),
    (5, "combinedMax", W::U32),
    (6, "rxCount", W::U32),
    (7, "txCount", W::U32),
    (8, "otherCount", W::U32),
    (9, "combinedCount", W::U32),
];

pub const RINGS: Table = &[
    (2, "rxMax", W::U32),
    (3, "rxMiniMax", W::U32),
    (4, "rxJumboMax", W::U32),
    (5, "txMax", W::U32),
    (6, "rx", W::U32),
    (7, "rxMini", W::U32),
    (8, "rxJumbo", W::U32),
    (9, "tx", W::U32),
    (10, "rxBufLen", W::U32),
    (11, "tcpDataSplit", W::U8),
    (12, "cqeSize", W::U32),
    (13, "txPush", W::Bool),
    (14, "rxPush", W::Bool),
    (15, "txPushBufLen", W::U32),
    (16, "txPushBufLenMax", W::U32),
];

pub const COALESCE: Table = &[
    (2, "rxUsecs", W::U32),
    (3, "rxMaxFrames", W::U32),
    (4, "rxUsecsIrq", W::U32),
    (5, "rxMaxFramesIrq", W::U32),
    (6, "txUsecs", W::U32),
    (7, "txMaxFrames", W::U32),
    (8, "txUsecsIrq", W::U32),
    (9, "txMaxFramesIrq", W::U32),
    (10, "statsBlockUsecs", W::U32),
    (11, "useAdaptiveRx", W::Bool),
    (12, "useAdaptiveTx", W::Bool),
    (13, "pktRateLow", W::U32),
    (14, "rxUsecsLow", W::U32),
    (15, "rxMaxFramesLow", W::U32),
    (16, "txUsecsLow", W::U32),
    (17, "txMaxFramesLow", W::U32),
    (18, "pktRateHigh", W::U32),
    (19, "rxUsecsHigh", W::U32),
    (20, "rxMaxFramesHigh", W::U32),
    (21, "txUsecsHigh", W::U32),
    (22, "txMaxFramesHigh", W::U32),
    (23, "rateSampleInterval", W::U32),
    (24, "useCqeModeTx", W::Bool),
    (25, "useCqeModeRx", W::Bool),
];

pub fn decode(t: Table, attrs: &[u8], s: &mut Settings) {
    table::decode_into(t, attrs, s);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rtnl::settings::Value;
    use crate::wire;

    #[test]
    fn decodes_known_keys_and_skips_short_or_unknown() {
        let mut b = wire::MsgBuilder::new(0, 0);
        b.attr_u32(2, 2).attr_u32(6, 1).attr(7, &[1]).attr_u32(99, 5);
        let a = b.finish().split_off(wire::NLMSG_HDRLEN);
        let mut s = Settings::new();
        decode(CHANNELS, &a, &mut s);
        assert_eq!(s.0, vec![("rxMax".to_string(), Value::Int(2)), ("rxCount".to_string(), Value::Int(1))]);
    }
}
