//! struct tcp_info (linux/tcp.h, INET_DIAG_INFO of a TCP socket) into a tree whose keys are
//! the kernel's field names without `tcpi_`, in camelCase. The kernel grows the struct: a
//! field is given only when the reply holds it whole (an older kernel's shorter struct lacks
//! the later keys), and bytes past the fields known here are ignored.

use crate::rtnl::settings::{Settings, Value};

#[derive(Clone, Copy)]
enum W {
    U8,
    U16,
    U32,
    U64,
}

/// (key, offset, width), in the struct's order. Times are µs (rtt, rttvar, rto, ato, minRtt,
/// rcvRtt, busyTime, rwndLimited, sndbufLimited) or ms (lastDataSent, lastAckRecv, ...);
/// rates are bytes per second.
const FIELDS: &[(&str, usize, W)] = &[
    ("state", 0, W::U8),
    ("caState", 1, W::U8),
    ("retransmits", 2, W::U8),
    ("probes", 3, W::U8),
    ("backoff", 4, W::U8),
    ("options", 5, W::U8),
    ("rto", 8, W::U32),
    ("ato", 12, W::U32),
    ("sndMss", 16, W::U32),
    ("rcvMss", 20, W::U32),
    ("unacked", 24, W::U32),
    ("sacked", 28, W::U32),
    ("lost", 32, W::U32),
    ("retrans", 36, W::U32),
    ("fackets", 40, W::U32),
    ("lastDataSent", 44, W::U32),
    ("lastAckSent", 48, W::U32),
    ("lastDataRecv", 52, W::U32),
    ("lastAckRecv", 56, W::U32),
    ("pmtu", 60, W::U32),
    ("rcvSsthresh", 64, W::U32),
    ("rtt", 68, W::U32),
    ("rttvar", 72, W::U32),
    ("sndSsthresh", 76, W::U32),
    ("sndCwnd", 80, W::U32),
    ("advmss", 84, W::U32),
    ("reordering", 88, W::U32),
    ("rcvRtt", 92, W::U32),
    ("rcvSpace", 96, W::U32),
    ("totalRetrans", 100, W::U32),
    ("pacingRate", 104, W::U64),
    ("maxPacingRate", 112, W::U64),
    ("bytesAcked", 120, W::U64),
    ("bytesReceived", 128, W::U64),
    ("segsOut", 136, W::U32),
    ("segsIn", 140, W::U32),
    ("notsentBytes", 144, W::U32),
    ("minRtt", 148, W::U32),
    ("dataSegsIn", 152, W::U32),
    ("dataSegsOut", 156, W::U32),
    ("deliveryRate", 160, W::U64),
    ("busyTime", 168, W::U64),
    ("rwndLimited", 176, W::U64),
    ("sndbufLimited", 184, W::U64),
    ("delivered", 192, W::U32),
    ("deliveredCe", 196, W::U32),
    ("bytesSent", 200, W::U64),
    ("bytesRetrans", 208, W::U64),
    ("dsackDups", 216, W::U32),
    ("reordSeen", 220, W::U32),
    ("rcvOoopack", 224, W::U32),
    ("sndWnd", 228, W::U32),
    ("rcvWnd", 232, W::U32),
    ("rehash", 236, W::U32),
    ("totalRto", 240, W::U16),
    ("totalRtoRecoveries", 242, W::U16),
    ("totalRtoTime", 244, W::U32),
];

/// A 64-bit counter as a JSON-safe number: exact up to 2^53, a float beyond (`maxPacingRate`
/// is ~0 when unlimited).
pub fn u64_value(v: u64) -> Value {
    if v < 1 << 53 {
        Value::Int(v as i64)
    } else {
        Value::Float(v as f64)
    }
}

pub fn decode(b: &[u8]) -> Settings {
    let mut s = Settings::new();
    for &(key, off, w) in FIELDS {
        let n = match w {
            W::U8 => 1,
            W::U16 => 2,
            W::U32 => 4,
            W::U64 => 8,
        };
        let Some(v) = b.get(off..off + n) else { break };
        let v = match w {
            W::U8 => Value::Int(v[0].into()),
            W::U16 => Value::Int(u16::from_ne_bytes([v[0], v[1]]).into()),
            W::U32 => Value::Int(u32::from_ne_bytes([v[0], v[1], v[2], v[3]]).into()),
            W::U64 => u64_value(u64::from_ne_bytes(v.try_into().unwrap_or([0; 8]))),
        };
        s.set(key, v);
        if off == 5 {
            // The bitfields after tcpi_options (low bits first on the ABIs Linux runs on).
            if let Some(&ws) = b.get(6) {
                s.set_int("sndWscale", ws & 0xf).set_int("rcvWscale", ws >> 4);
            }
            if let Some(&f) = b.get(7) {
                s.set_bool("deliveryRateAppLimited", f & 1 != 0).set_int("fastopenClientFail", (f >> 1) & 3);
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shorter_and_longer_structs() {
        let mut b = vec![0u8; 300];
        b[0] = 1;
        b[6] = 0x97;
        b[7] = 0b101;
        b[68..72].copy_from_slice(&1234u32.to_ne_bytes());
        b[112..120].copy_from_slice(&u64::MAX.to_ne_bytes());
        b[244..248].copy_from_slice(&9u32.to_ne_bytes());
        let s = decode(&b);
        assert_eq!(s.get("state"), Some(&Value::Int(1)));
        assert_eq!(s.get("sndWscale"), Some(&Value::Int(7)));
        assert_eq!(s.get("rcvWscale"), Some(&Value::Int(9)));
        assert_eq!(s.get("deliveryRateAppLimited"), Some(&Value::Bool(true)));
        assert_eq!(s.get("fastopenClientFail"), Some(&Value::Int(2)));
        assert_eq!(s.get("rtt"), Some(&Value::Int(1234)));
        assert_eq!(s.get("maxPacingRate"), Some(&Value::Float(u64::MAX as f64)));
        assert_eq!(s.get("totalRtoTime"), Some(&Value::Int(9)));
        // An old kernel's 104-byte struct: up to totalRetrans, nothing invented after it.
        let s = decode(&b[..104]);
        assert!(s.get("totalRetrans").is_some() && s.get("pacingRate").is_none());
        assert!(decode(&[]).is_empty());
        assert_eq!(decode(&b[..6]).get("sndWscale"), None);
    }
}
