//! Security contexts (XFRMA_SEC_CTX: struct xfrm_user_sec_ctx, then the context text) on
//! policies and states, as `ip xfrm ... ctx CTX` sends them: an SELinux context (algorithm 1,
//! DOI 1), its text NUL-terminated. Without an LSM that labels IPsec the kernel takes the
//! attribute and keeps nothing of it (security_xfrm_policy_alloc has no hook to call).

use super::*;
use crate::rtnl::settings::Settings;
use crate::wire::u16_at;

pub const XFRMA_SEC_CTX: u16 = 8;
const HDR: usize = 8;
/// The longest context SELinux takes (less than a page, with its NUL).
const MAX: usize = 4095;

/// Appends XFRMA_SEC_CTX when `ctx` is given.
pub fn encode(b: &mut MsgBuilder, s: &Settings) -> Result<(), String> {
    let Some(text) = s.str("ctx")? else { return Ok(()) };
    if text.is_empty() || text.len() > MAX || text.contains('\0') {
        return Err(format!("ctx must be a security context of 1 to {MAX} bytes without NUL"));
    }
    let n = text.len() + 1;
    let mut v = Vec::with_capacity(HDR + n);
    v.extend_from_slice(&((HDR + n) as u16).to_ne_bytes());
    v.extend_from_slice(&XFRMA_SEC_CTX.to_ne_bytes());
    v.extend_from_slice(&[1, 1]);
    v.extend_from_slice(&(n as u16).to_ne_bytes());
    v.extend_from_slice(text.as_bytes());
    v.push(0);
    b.attr(XFRMA_SEC_CTX, &v);
    Ok(())
}

/// The context's text (up to its NUL), if the attribute holds one.
pub fn decode(v: &[u8]) -> Option<String> {
    let len = u16_at(v, 6) as usize;
    let text = v.get(HDR..HDR + len).or_else(|| v.get(HDR..))?;
    let text = text.split(|&c| c == 0).next().unwrap_or(&[]);
    (!text.is_empty()).then(|| String::from_utf8_lossy(text).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contexts_round_trip_and_short_ones_decode_safely() {
        let mut s = Settings::new();
        s.set_str("ctx", "system_u:r");
        let mut b = MsgBuilder::new(0, 0);
        encode(&mut b, &s).unwrap();
        let m = b.finish();
        let v = &m[crate::wire::NLMSG_HDRLEN + 4..];
        assert_eq!(&v[..8], &[19, 0, 8, 0, 1, 1, 11, 0]);
        assert_eq!(decode(v).as_deref(), Some("system_u:r"));
        // ctx_len past the attribute: what is there; shorter than the header: nothing.
        let mut long = v[..12].to_vec();
        long[6] = 200;
        assert_eq!(decode(&long).as_deref(), Some("syst"));
        assert_eq!(decode(&v[..5]), None);
        for bad in ["", "a\0b"] {
            s.set_str("ctx", bad);
            assert!(encode(&mut MsgBuilder::new(0, 0), &s).unwrap_err().starts_with("ctx must be"));
        }
        s.set_str("ctx", "x".repeat(MAX + 1));
        assert!(encode(&mut MsgBuilder::new(0, 0), &s).is_err());
    }
}
