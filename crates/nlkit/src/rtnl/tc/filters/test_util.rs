//! What the classifier kinds' byte tests share: the captures' testdata, settings builders,
//! and a filter add on the capture's device (ifindex 3; `d1` is 2, the ifb `i0` 4).

use crate::rtnl::settings::{Settings, Value};
use crate::rtnl::tc::handle::TC_H_INGRESS;
use crate::rtnl::tc::{encode, filter_info, TcOp, TcSpec, TcType};

pub fn hex(s: &str) -> Vec<u8> {
    let s = s.trim();
    (0..s.len() / 2).map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap()).collect()
}

pub fn testdata(dir: &str, name: &str) -> Vec<u8> {
    let path = format!("{}/src/rtnl/tc/filters/{dir}/testdata/{name}.hex", env!("CARGO_MANIFEST_DIR"));
    hex(std::fs::read_to_string(path).unwrap().lines().next().unwrap())
}

pub fn st(s: &str) -> Value {
    Value::Str(s.into())
}
pub fn int(i: i64) -> Value {
    Value::Int(i)
}
pub fn map(kv: &[(&str, Value)]) -> Value {
    let mut s = Settings::new();
    for (k, v) in kv {
        s.set(k, v.clone());
    }
    Value::Map(s)
}
pub fn settings(kv: &[(&str, Value)]) -> Settings {
    let Value::Map(s) = map(kv) else { unreachable!() };
    s
}
pub fn redirect(ifindex: i64) -> Value {
    map(&[("kind", st("mirred")), ("direction", st("egress")), ("action", st("redirect")), ("ifindex", int(ifindex))])
}

pub const IPV6: u16 = 0x86DD;
pub const IP: u16 = 0x0800;
pub const ALL: u16 = 0x0003;
pub const INGRESS: u32 = TC_H_INGRESS + 1;

/// A filter add of `kind` on ifindex 3, as the captures were made.
pub fn add(kind: &str, parent: u32, pref: u16, protocol: u16, handle: u32, options: Settings) -> Result<Vec<u8>, String> {
    let spec =
        TcSpec { ifindex: 3, handle, parent, info: filter_info(pref, protocol), kind: Some(kind.into()), options, ..Default::default() };
    encode(TcType::Filter, &spec, TcOp::Add)
}

pub const EGRESS: u32 = TC_H_INGRESS + 2;

pub fn mirred(direction: &str, action: &str, ifindex: i64) -> Value {
    map(&[("kind", st("mirred")), ("direction", st(direction)), ("action", st(action)), ("ifindex", int(ifindex))])
}

/// One capture: its file, the tcmsg's parent, pref, protocol and handle, and nlkit's options.
pub type Capture = (&'static str, u32, u16, u16, u32, Settings);

/// Every capture of `kind` equals nlkit's request for the same options.
pub fn assert_captures(kind: &str, dir: &str, cases: &[Capture]) {
    for (file, parent, pref, proto, handle, o) in cases {
        let got = add(kind, *parent, *pref, *proto, *handle, o.clone()).unwrap_or_else(|e| panic!("{file}: {e}"));
        let want = testdata(dir, file);
        assert_eq!(hexs(&got), hexs(&want), "{file}");
    }
}

/// Each capture's options, decoded, encode to the same request; every cut of them decodes
/// without a panic.
pub fn assert_decoded_back(kind: &str, dir: &str, cases: &[Capture], decode: impl Fn(&[u8]) -> Settings) {
    for (file, parent, pref, proto, handle, _) in cases {
        let want = testdata(dir, file);
        let opts = options_of(&want);
        let back = decode(&opts);
        assert_eq!(hexs(&add(kind, *parent, *pref, *proto, *handle, back.clone()).unwrap()), hexs(&want), "{file}: {back:?}");
        for cut in 0..opts.len() {
            let _ = decode(&opts[..cut]);
        }
    }
}

/// A request's TCA_OPTIONS payload (empty without one).
pub fn options_of(msg: &[u8]) -> Vec<u8> {
    crate::wire::attrs(&msg[36..])
        .map_while(Result::ok)
        .find(|(t, _)| *t == crate::rtnl::tc::TCA_OPTIONS)
        .map_or(Vec::new(), |(_, v)| v.to_vec())
}

pub fn hexs(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}
