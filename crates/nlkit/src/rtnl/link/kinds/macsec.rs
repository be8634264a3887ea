//! macsec (IFLA_MACSEC_*), the link part of `ip link add link DEV NAME type macsec ...`
//! (the parent is the top-level `link`; secure channels and associations are `ip macsec`'s
//! generic netlink, not here).
//!
//! Keys are `ip -d -j link show`'s names in camelCase: `sci` (16 hex digits as ip prints it;
//! fewer are zero-extended, as ip reads them; sent big-endian), `port` (ip's `port`, sent
//! instead of an SCI, network byte order; the kernel does not report it), `cipherSuite`
//! (ip's names: 'GCM-AES-128', 'GCM-AES-256', 'GCM-AES-XPN-128', 'GCM-AES-XPN-256', or
//! 'default', the IEEE default id ip sends for `cipher default`; the lowercase spellings ip
//! accepts are taken too), `icvLen`, `encodingSa`, `validation` ('disabled' | 'check' |
//! 'strict'), `offload` ('off' | 'phy' | 'mac'), the booleans `encrypt`, `incSci` (ip's
//! `send_sci`), `es` (`end_station`), `scb`, `protect`, `replayProtect` (`replay`) and
//! `window`. As ip (and the kernel) refuse them: `incSci` with `es` or `scb`, `es` with `scb`,
//! `replayProtect: true` without a `window`, `sci` with `port`.
//!
//! Attributes go out in ip's order when its arguments are given in its help order (sci or
//! port, encrypt, send_sci, end_station, scb, protect, validate, offload: ip adds those as it
//! parses them; then cipher, icvlen, window, replay, encodingsa).

use super::common::{decode_field, encode_fields, remove, Field, Int};
use super::{EncodeCtx, LinkKind};
use crate::rtnl::settings::Settings;
use crate::wire::{attrs, MsgBuilder};

const IFLA_MACSEC_SCI: u16 = 1;
const IFLA_MACSEC_PORT: u16 = 2;
const IFLA_MACSEC_ICV_LEN: u16 = 3;
const IFLA_MACSEC_CIPHER_SUITE: u16 = 4;
const IFLA_MACSEC_WINDOW: u16 = 5;
const IFLA_MACSEC_ENCODING_SA: u16 = 6;
const IFLA_MACSEC_ENCRYPT: u16 = 7;
const IFLA_MACSEC_PROTECT: u16 = 8;
const IFLA_MACSEC_INC_SCI: u16 = 9;
const IFLA_MACSEC_ES: u16 = 10;
const IFLA_MACSEC_SCB: u16 = 11;
const IFLA_MACSEC_REPLAY_PROTECT: u16 = 12;
const IFLA_MACSEC_VALIDATION: u16 = 13;
const IFLA_MACSEC_OFFLOAD: u16 = 15;

/// MACSEC_CIPHER_ID_* and MACSEC_DEFAULT_CIPHER_ID (include/uapi/linux/if_macsec.h); decode
/// gives the first name of a value.
const CIPHERS: &[(&str, u64)] = &[
    ("GCM-AES-128", 0x0080_C200_0100_0001),
    ("GCM-AES-256", 0x0080_C200_0100_0002),
    ("GCM-AES-XPN-128", 0x0080_C200_0100_0003),
    ("GCM-AES-XPN-256", 0x0080_C200_0100_0004),
    ("default", 0x0080_0200_0100_0001),
    ("gcm-aes-128", 0x0080_C200_0100_0001),
    ("gcm-aes-256", 0x0080_C200_0100_0002),
    ("gcm-aes-xpn-128", 0x0080_C200_0100_0003),
    ("gcm-aes-xpn-256", 0x0080_C200_0100_0004),
];

/// MACSEC_MIN_ICV_LEN..MACSEC_STD_ICV_LEN, as ip and the kernel check it.
const ICV_MIN: i64 = 8;
const ICV_MAX: i64 = 16;

/// After the SCI or port, in ip's parse order.
static FLAGS: &[Field] = &[
    Field::bool("encrypt", IFLA_MACSEC_ENCRYPT, Int::U8),
    Field::bool("incSci", IFLA_MACSEC_INC_SCI, Int::U8),
    Field::bool("es", IFLA_MACSEC_ES, Int::U8),
    Field::bool("scb", IFLA_MACSEC_SCB, Int::U8),
    Field::bool("protect", IFLA_MACSEC_PROTECT, Int::U8),
    Field::choice("validation", IFLA_MACSEC_VALIDATION, Int::U8, &[("disabled", 0), ("check", 1), ("strict", 2)]),
    Field::choice("offload", IFLA_MACSEC_OFFLOAD, Int::U8, &[("off", 0), ("phy", 1), ("mac", 2)]),
];

/// What ip adds after parsing.
static TAIL: &[Field] = &[
    Field::choice("cipherSuite", IFLA_MACSEC_CIPHER_SUITE, Int::U64, CIPHERS),
    Field::int("icvLen", IFLA_MACSEC_ICV_LEN, Int::U8).range(ICV_MIN, ICV_MAX),
    Field::int("window", IFLA_MACSEC_WINDOW, Int::U32),
    Field::bool("replayProtect", IFLA_MACSEC_REPLAY_PROTECT, Int::U8),
    Field::int("encodingSa", IFLA_MACSEC_ENCODING_SA, Int::U8).range(0, 3),
];

static PORT: &[Field] = &[Field::int("port", IFLA_MACSEC_PORT, Int::Be16).range(1, u16::MAX as i64)];

/// The SCI setting: 1 to 16 hex digits.
fn sci(s: &Settings) -> Result<Option<u64>, String> {
    let Some(v) = s.str("sci")? else { return Ok(None) };
    if v.is_empty() || v.len() > 16 || !v.bytes().all(|c| c.is_ascii_hexdigit()) {
        return Err(format!("sci must be up to 16 hex digits like \"0102030405060001\", got {v:?}"));
    }
    u64::from_str_radix(v, 16).map(Some).map_err(|e| format!("sci: {e}"))
}

/// The combinations ip and the kernel refuse.
fn check_combinations(s: &Settings) -> Result<(), String> {
    let on = |k: &str| s.bool(k).map(|v| v == Some(true));
    if on("incSci")? && (on("es")? || on("scb")?) {
        return Err("incSci (send_sci) cannot be combined with es (end_station) or scb".into());
    }
    if on("es")? && on("scb")? {
        return Err("es (end_station) and scb cannot both be on".into());
    }
    if on("replayProtect")? && s.get("window").is_none() {
        return Err("replayProtect needs a window".into());
    }
    if s.get("sci").is_some() && s.get("port").is_some() {
        return Err("give sci or port, not both".into());
    }
    Ok(())
}

pub struct Macsec;

impl LinkKind for Macsec {
    fn kind(&self) -> &'static str {
        "macsec"
    }

    fn keys(&self) -> &'static [&'static str] {
        &[
            "sci",
            "port",
            "cipherSuite",
            "icvLen",
            "encodingSa",
            "validation",
            "offload",
            "encrypt",
            "incSci",
            "es",
            "scb",
            "protect",
            "replayProtect",
            "window",
        ]
    }

    fn encode(&self, s: &Settings, b: &mut MsgBuilder, _ctx: &mut EncodeCtx) -> Result<(), String> {
        let sci = sci(s)?;
        check_combinations(s)?;
        if let Some(v) = sci {
            b.attr(IFLA_MACSEC_SCI, &v.to_be_bytes());
        }
        encode_fields(PORT, s, b)?;
        encode_fields(FLAGS, s, b)?;
        encode_fields(TAIL, s, b)
    }

    fn decode(&self, data: &[u8]) -> Settings {
        let mut out = Settings::new();
        for (ty, v) in attrs(data).map_while(Result::ok) {
            if decode_field(PORT, ty, v, &mut out) || decode_field(FLAGS, ty, v, &mut out) || decode_field(TAIL, ty, v, &mut out) {
                continue;
            }
            if let (IFLA_MACSEC_SCI, Ok(a)) = (ty, <[u8; 8]>::try_from(v)) {
                out.set_str("sci", format!("{:016x}", u64::from_be_bytes(a)));
            }
        }
        // Keep what encode accepts (a kernel never reports these combinations).
        let on = |o: &Settings, k: &str| o.get(k) == Some(&crate::rtnl::settings::Value::Bool(true));
        if on(&out, "scb") && (on(&out, "incSci") || on(&out, "es")) {
            remove(&mut out, "scb");
        }
        if on(&out, "es") && on(&out, "incSci") {
            remove(&mut out, "es");
        }
        if on(&out, "replayProtect") && out.get("window").is_none() {
            remove(&mut out, "replayProtect");
        }
        if out.get("sci").is_some() {
            remove(&mut out, "port");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::common::testing::*;
    use super::*;
    use crate::rtnl::link::LinkSpec;
    use crate::rtnl::settings::Value;

    /// ip link add link veth0 ms0 type macsec ... (veth0 is index 3 in the capture's namespace).
    fn spec(s: &Settings) -> LinkSpec {
        LinkSpec { name: Some("ms0".into()), kind: Some("macsec".into()), link: Some(3), info: s.clone(), ..Default::default() }
    }

    fn full() -> Settings {
        let mut s = Settings::new();
        s.set_str("sci", "0102030405060708")
            .set_bool("encrypt", true)
            .set_bool("incSci", true)
            .set_bool("protect", true)
            .set_str("validation", "strict")
            .set_str("offload", "off")
            .set_str("cipherSuite", "GCM-AES-256")
            .set_int("icvLen", 16)
            .set_int("window", 32)
            .set_bool("replayProtect", true)
            .set_int("encodingSa", 2);
        s
    }

    #[test]
    fn roundtrip_full() {
        let s = with(&with(&full(), "es", Value::Bool(false)), "scb", Value::Bool(false));
        assert_roundtrip("macsec", &s);
        assert_eq!(s.0.len() + 1, Macsec.keys().len());
        for f in [PORT, FLAGS, TAIL] {
            assert_keys_cover("macsec", f);
        }
        for c in ["GCM-AES-128", "GCM-AES-XPN-256", "default"] {
            assert_roundtrip("macsec", &with(&Settings::new(), "cipherSuite", Value::Str(c.into())));
        }
        let mut s = Settings::new();
        s.set_int("port", 1).set_bool("es", true).set_str("validation", "disabled").set_str("offload", "phy");
        assert_roundtrip("macsec", &s);
        // ip's lowercase names are the same ids, decoded by ip's printed names.
        assert_eq!(
            encoded("macsec", &with(&Settings::new(), "cipherSuite", Value::Str("gcm-aes-256".into()))),
            encoded("macsec", &with(&Settings::new(), "cipherSuite", Value::Str("GCM-AES-256".into())))
        );
        // A short SCI is zero-extended, as ip reads it; decode prints all 16 digits.
        assert_eq!(encoded("macsec", &with(&Settings::new(), "sci", Value::Str("1".into()))), [12, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    }

    /// Captured from iproute2 6.1 (`strace -X raw`, kernel without macsec: ip encodes anyway).
    /// ip sends IFLA_LINK before IFLA_IFNAME (compared as a set, see assert_iproute2_spec).
    #[test]
    fn equals_iproute2() {
        // ... sci 0102030405060708 encrypt on send_sci on protect on validate strict offload off
        //   cipher gcm-aes-256 icvlen 16 replay on window 32 encodingsa 2
        assert_iproute2_spec(&spec(&full()), "a4000000100005068db0116b00000000000000000000000000000000000000000800050003000000080003006d733000740012000a0001006d61637365630000640002000c000100010203040506070805000700010000000500090001000000050008000100000005000d000200000005000f00000000000c0004000200000100c280000500030010000000080005002000000005000c00010000000500060002000000");
        // ... port 11 encrypt off end_station on scb off validate check cipher default replay
        //   off window 0 (6.1 sends the window with replay off; 6.18 leaves it out)
        let mut s = Settings::new();
        s.set_int("port", 11)
            .set_bool("encrypt", false)
            .set_bool("es", true)
            .set_bool("scb", false)
            .set_str("validation", "check")
            .set_str("cipherSuite", "default")
            .set_int("window", 0)
            .set_bool("replayProtect", false);
        assert_iproute2_spec(&spec(&s), "88000000100005061ab1116b00000000000000000000000000000000000000000800050003000000080003006d733000580012000a0001006d616373656300004800020006000200000b0000050007000000000005000a000100000005000b000000000005000d00010000000c0004000100000100028000080005000000000005000c0000000000");
        // ... (no settings: no IFLA_INFO_DATA at all)
        assert_iproute2_spec(&spec(&Settings::new()), "40000000100005068eb0116b00000000000000000000000000000000000000000800050003000000080003006d733000100012000a0001006d61637365630000");
        // ... sci 1 scb on validate disabled offload mac cipher gcm-aes-xpn-128 icvlen 8 encodingsa 3
        let mut s = Settings::new();
        s.set_str("sci", "0000000000000001")
            .set_bool("scb", true)
            .set_str("validation", "disabled")
            .set_str("offload", "mac")
            .set_str("cipherSuite", "GCM-AES-XPN-128")
            .set_int("icvLen", 8)
            .set_int("encodingSa", 3);
        assert_iproute2_spec(&spec(&s), "84000000100005068eb0116b00000000000000000000000000000000000000000800050003000000080003006d733000540012000a0001006d61637365630000440002000c000100000000000000000105000b000100000005000d000000000005000f00020000000c0004000300000100c2800005000300080000000500060003000000");
    }

    #[test]
    fn rejects_bad_values() {
        let base = Settings::new();
        let k = "macsec";
        for bad in ["", "01020304050607080", "xyz", "-1"] {
            assert_rejects(k, &with(&base, "sci", Value::Str(bad.into())), "sci");
        }
        assert_rejects(k, &with(&base, "sci", Value::Int(1)), "sci");
        assert_rejects(k, &with(&base, "port", Value::Int(0)), "port");
        assert_rejects(k, &with(&base, "port", Value::Int(65536)), "port");
        assert_rejects(k, &with(&with(&base, "port", Value::Int(1)), "sci", Value::Str("1".into())), "sci or port");
        assert_rejects(k, &with(&base, "cipherSuite", Value::Str("aes".into())), "cipherSuite");
        assert_rejects(k, &with(&base, "icvLen", Value::Int(7)), "icvLen");
        assert_rejects(k, &with(&base, "icvLen", Value::Int(17)), "icvLen");
        assert_rejects(k, &with(&base, "encodingSa", Value::Int(4)), "encodingSa");
        assert_rejects(k, &with(&base, "validation", Value::Str("loose".into())), "validation");
        assert_rejects(k, &with(&base, "offload", Value::Str("on".into())), "offload");
        assert_rejects(k, &with(&base, "window", Value::Int(-1)), "window");
        assert_rejects(k, &with(&base, "encrypt", Value::Str("on".into())), "encrypt");
        assert_rejects(k, &with(&base, "replayProtect", Value::Bool(true)), "replayProtect");
        let sci_on = with(&base, "incSci", Value::Bool(true));
        assert_rejects(k, &with(&sci_on, "es", Value::Bool(true)), "incSci");
        assert_rejects(k, &with(&sci_on, "scb", Value::Bool(true)), "incSci");
        assert_rejects(k, &with(&with(&base, "es", Value::Bool(true)), "scb", Value::Bool(true)), "scb");
        assert_rejects(k, &with(&base, "send_sci", Value::Bool(true)), "send_sci");
    }

    #[test]
    fn decode_survives_garbage() {
        assert_decode_survives("macsec", &full(), true);
        // A port beside an SCI, and conflicting flags: decode keeps what encode takes.
        let mut b = MsgBuilder::new(0, 0);
        b.attr(IFLA_MACSEC_SCI, &[0, 0, 0, 0, 0, 0, 0, 9]).attr(IFLA_MACSEC_PORT, &[0, 9]);
        b.attr(IFLA_MACSEC_INC_SCI, &[1]).attr(IFLA_MACSEC_ES, &[1]).attr(IFLA_MACSEC_SCB, &[1]);
        b.attr(IFLA_MACSEC_REPLAY_PROTECT, &[1]);
        let m = b.finish();
        let d = Macsec.decode(&m[16..]);
        assert_eq!(d.get("sci"), Some(&Value::Str("0000000000000009".into())));
        assert_eq!((d.get("port"), d.get("es"), d.get("scb"), d.get("replayProtect")), (None, None, None, None));
    }
}
