//! Traffic-control handles as `tc` writes them: `major:minor` in hex (`1:`, `1:10`, `ffff:fff1`),
//! and the names of the special parents (`root`, `ingress`, `clsact`, `egress`, `none`).

pub const TC_H_ROOT: u32 = 0xFFFF_FFFF;
pub const TC_H_INGRESS: u32 = 0xFFFF_FFF1;
/// clsact's ingress and egress hooks, as filter parents.
pub const TC_H_MIN_INGRESS: u32 = 0xFFF2;
pub const TC_H_MIN_EGRESS: u32 = 0xFFF3;
pub const TC_H_UNSPEC: u32 = 0;
/// clsact's hooks as full filter parents (`ffff:fff2`, `ffff:fff3`).
const CLSACT_INGRESS: u32 = TC_H_INGRESS & 0xFFFF_0000 | TC_H_MIN_INGRESS;
const CLSACT_EGRESS: u32 = TC_H_INGRESS & 0xFFFF_0000 | TC_H_MIN_EGRESS;

/// Parses `major:minor`, `major:` or a bare `major` (tc's `get_tc_classid`); each part is hex
/// of at most 4 digits. `root`, `none`, `ingress`, `clsact` (the ingress qdisc's place) and, for
/// filters on clsact, `ingress`/`egress` name their special values.
pub fn parse(s: &str, filter_parent: bool) -> Result<u32, String> {
    match s {
        "root" => return Ok(TC_H_ROOT),
        "none" => return Ok(TC_H_UNSPEC),
        "ingress" if filter_parent => return Ok(CLSACT_INGRESS),
        "egress" if filter_parent => return Ok(CLSACT_EGRESS),
        "ingress" | "clsact" => return Ok(TC_H_INGRESS),
        _ => {}
    }
    let bad = || format!("malformed handle {s:?} (expected major:minor in hex, e.g. \"1:\" or \"1:10\")");
    let part = |p: &str| -> Result<u32, String> {
        if p.is_empty() || p.len() > 4 || !p.bytes().all(|c| c.is_ascii_hexdigit()) {
            return Err(bad());
        }
        u32::from_str_radix(p, 16).map_err(|_| bad())
    };
    match s.split_once(':') {
        None => Ok(part(s)? << 16),
        Some((maj, min)) => {
            if min.contains(':') {
                return Err(bad());
            }
            let maj = part(maj)?;
            let min = if min.is_empty() { 0 } else { part(min)? };
            Ok(maj << 16 | min)
        }
    }
}

/// `tc`'s spelling of a handle: `1:`, `1:10`, `root`, `none` for 0 (ingress's place is
/// `ffff:fff1`, as `tc -j` prints it).
pub fn format(h: u32) -> String {
    match h {
        TC_H_ROOT => "root".into(),
        TC_H_UNSPEC => "none".into(),
        _ if h & 0xFFFF == 0 => format!("{:x}:", h >> 16),
        _ => format!("{:x}:{:x}", h >> 16, h & 0xFFFF),
    }
}

/// A filter's parent: clsact's hooks by name, else [`format`].
pub fn format_parent(h: u32) -> String {
    match h {
        CLSACT_INGRESS => "ingress".into(),
        CLSACT_EGRESS => "egress".into(),
        _ => format(h),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_tc_accepts() {
        assert_eq!(parse("1:", false), Ok(0x1_0000));
        assert_eq!(parse("1:10", false), Ok(0x1_0010));
        assert_eq!(parse("ffff:fff1", false), Ok(TC_H_INGRESS));
        assert_eq!(parse("10", false), Ok(0x10_0000));
        assert_eq!(parse("root", false), Ok(TC_H_ROOT));
        assert_eq!(parse("clsact", false), Ok(TC_H_INGRESS));
        assert_eq!(parse("ingress", true), Ok(0xFFFF_FFF2));
        assert_eq!(parse("egress", true), Ok(0xFFFF_FFF3));
        for bad in ["1:2:3", "", ":", "g:1", "12345:", "1:12345", "-1:", " 1:"] {
            assert!(parse(bad, false).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn formats_as_tc_does() {
        for (h, s) in [(0x1_0000, "1:"), (0x1_0010, "1:10"), (TC_H_ROOT, "root"), (TC_H_INGRESS, "ffff:fff1"), (0, "none")] {
            assert_eq!(format(h), s);
        }
        assert_eq!(format_parent(0xFFFF_FFF3), "egress");
        assert_eq!(format_parent(0x1_0000), "1:");
    }
}
