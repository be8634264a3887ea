//! A state's offload device (by index: a name is resolved to it in src/xfrm/ before the core
//! sees the state), against `ip xfrm state add ... offload dev X dir D` captured where X was
//! index 3.

use super::*;

#[test]
fn offload_by_index_equals_ip_xfrm() {
    // ip xfrm state add src 10.182.0.1 dst 10.182.0.2 proto esp spi 0x107 enc 'cbc(aes)' E1 offload dev nlkhd0 dir in
    let s = format!(
        r#"{{"src":"10.182.0.1","dst":"10.182.0.2","proto":"esp","spi":263,"crypt":{{"name":"cbc(aes)","key":"{E1}"}},"offload":{{"ifindex":3,"dir":"in"}}}}"#
    );
    check("sa8", "stateAdd", &s);
    let st = state::decode(&payload(&captured("sa8"))).unwrap();
    let o = st.map("offload").unwrap().unwrap();
    assert_eq!((o.u32("ifindex").unwrap(), o.str("dir").unwrap()), (Some(3), Some("in")));
    let e = |s: &str| request("stateAdd", &json(s)).unwrap_err().to_string();
    let base = format!(r#""dst":"10.0.0.1","proto":"esp","spi":1,"crypt":{{"name":"cbc(aes)","key":"{E1}"}}"#);
    assert!(e(&format!(r#"{{{base},"offload":{{"dir":"in"}}}}"#)).contains("offload.ifindex (or dev, its name) is required"));
    // A name reaching the core was not resolved: refused, never sent as something else.
    assert!(e(&format!(r#"{{{base},"offload":{{"dev":"eth0"}}}}"#)).contains("\"dev\""));
}
