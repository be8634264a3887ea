//! A state's algorithms: XFRMA_ALG_AUTH / XFRMA_ALG_AUTH_TRUNC (xfrm_algo_auth), XFRMA_ALG_CRYPT
//! and XFRMA_ALG_COMP (xfrm_algo), XFRMA_ALG_AEAD (xfrm_algo_aead). Keys are hex text; for the
//! algorithms named here a key of the wrong length is refused before anything is sent (the
//! kernel's own answer, EINVAL with no text, says less). Other names go to the kernel as given.

use super::*;
use crate::rtnl::settings::{Settings, Value};
use crate::wire::{attr_str, u32_at, MsgBuilder};

const NAME_LEN: usize = 64;

/// Authentication: name, key bits, digest bits (the longest truncation).
const AUTH: &[(&str, u32, u32)] = &[
    ("hmac(md5)", 128, 128),
    ("hmac(sha1)", 160, 160),
    ("hmac(sha256)", 256, 256),
    ("hmac(sha384)", 384, 384),
    ("hmac(sha512)", 512, 512),
    ("hmac(rmd160)", 160, 160),
    ("hmac(sm3)", 256, 256),
    ("xcbc(aes)", 128, 128),
    ("cmac(aes)", 128, 128),
    ("digest_null", 0, 0),
];
/// Encryption: name, key bits allowed.
const CRYPT: &[(&str, &[u32])] = &[
    ("cbc(aes)", &[128, 192, 256]),
    ("cbc(des3_ede)", &[192]),
    ("cbc(des)", &[64]),
    ("cbc(serpent)", &[128, 192, 256]),
    ("cbc(twofish)", &[128, 192, 256]),
    ("cbc(camellia)", &[128, 192, 256]),
    ("cbc(sm4)", &[128]),
    ("rfc3686(ctr(aes))", &[160, 224, 288]),
    ("ecb(cipher_null)", &[0]),
];
/// AEAD: name, key bits (the cipher key and a 32-bit salt, or 24 for CCM), ICV bits.
const AEAD: &[(&str, &[u32], &[u32])] = &[
    ("rfc4106(gcm(aes))", &[160, 224, 288], &[64, 96, 128]),
    ("rfc4309(ccm(aes))", &[152, 216, 280], &[64, 96, 128]),
    ("rfc4543(gcm(aes))", &[160, 224, 288], &[128]),
    ("rfc7539esp(chacha20,poly1305)", &[288], &[128]),
];

fn hex_key(s: &Settings, what: &str) -> Result<Vec<u8>, String> {
    let k = s.str("key").map_err(|e| format!("{what}.{e}"))?.ok_or_else(|| format!("{what}.key is required (hex)"))?;
    let h = k.strip_prefix("0x").unwrap_or(k);
    if h.len() % 2 != 0 || !h.bytes().all(|c| c.is_ascii_hexdigit()) {
        return Err(format!("{what}.key must be hex digits, an even number of them"));
    }
    Ok((0..h.len()).step_by(2).map(|i| u8::from_str_radix(&h[i..i + 2], 16).unwrap_or(0)).collect())
}

fn name(s: &Settings, what: &str) -> Result<[u8; NAME_LEN], String> {
    let n = s.str("name").map_err(|e| format!("{what}.{e}"))?.ok_or_else(|| format!("{what}.name is required"))?;
    if n.is_empty() || n.len() >= NAME_LEN {
        return Err(format!("{what}.name must be 1 to {} bytes", NAME_LEN - 1));
    }
    let mut b = [0u8; NAME_LEN];
    b[..n.len()].copy_from_slice(n.as_bytes());
    Ok(b)
}

fn bits_ok(what: &str, n: &str, got: u32, allowed: &[u32]) -> Result<(), String> {
    if allowed.contains(&got) {
        return Ok(());
    }
    let a: Vec<String> = allowed.iter().map(u32::to_string).collect();
    Err(format!("{what}.key: {n} takes a key of {} bits, got {got}", a.join(" or ")))
}

fn alg(b: &mut MsgBuilder, ty: u16, name: &[u8; NAME_LEN], bits: u32, extra: Option<u32>, key: &[u8]) {
    let mut v = name.to_vec();
    v.extend_from_slice(&bits.to_ne_bytes());
    if let Some(x) = extra {
        v.extend_from_slice(&x.to_ne_bytes());
    }
    v.extend_from_slice(key);
    b.attr(ty, &v);
}

fn sub<'a>(s: &'a Settings, key: &str, known: &[&str]) -> Result<Option<&'a Settings>, String> {
    let m = s.map(key)?;
    if let Some(m) = m {
        m.check_known(known).map_err(|e| format!("{key}: {e}"))?;
    }
    Ok(m)
}

/// Appends the algorithm attributes of state `s` (in the order `ip xfrm state add` sends
/// them for `aead|auth|auth-trunc, enc, comp`).
pub fn encode(b: &mut MsgBuilder, s: &Settings) -> Result<(), String> {
    if let Some(a) = sub(s, "aead", &["name", "key", "icvLen"])? {
        let (n, key) = (name(a, "aead")?, hex_key(a, "aead")?);
        let icv = a.u32("icvLen").map_err(|e| format!("aead.{e}"))?.ok_or("aead.icvLen is required (bits)")?;
        let bits = key.len() as u32 * 8;
        if let Some((nm, kb, ib)) = AEAD.iter().find(|(x, _, _)| x.as_bytes() == &n[..x.len()] && n[x.len()] == 0) {
            bits_ok("aead", nm, bits, kb)?;
            if !ib.contains(&icv) {
                let a: Vec<String> = ib.iter().map(u32::to_string).collect();
                return Err(format!("aead.icvLen: {nm} takes {} bits, got {icv}", a.join(" or ")));
            }
        }
        alg(b, XFRMA_ALG_AEAD, &n, bits, Some(icv), &key);
    }
    if let Some(a) = sub(s, "auth", &["name", "key", "truncLen"])? {
        let (n, key) = (name(a, "auth")?, hex_key(a, "auth")?);
        let trunc = a.u32("truncLen").map_err(|e| format!("auth.{e}"))?;
        let bits = key.len() as u32 * 8;
        if let Some((nm, kb, full)) = AUTH.iter().find(|(x, _, _)| x.as_bytes() == &n[..x.len()] && n[x.len()] == 0) {
            bits_ok("auth", nm, bits, &[*kb])?;
            if let Some(t) = trunc.filter(|t| *t > *full || t % 8 != 0) {
                return Err(format!("auth.truncLen: {nm} truncates to a multiple of 8 bits up to {full}, got {t}"));
            }
        }
        match trunc {
            Some(t) => alg(b, XFRMA_ALG_AUTH_TRUNC, &n, bits, Some(t), &key),
            None => alg(b, XFRMA_ALG_AUTH, &n, bits, None, &key),
        }
    }
    if let Some(a) = sub(s, "crypt", &["name", "key"])? {
        let (n, key) = (name(a, "crypt")?, hex_key(a, "crypt")?);
        let bits = key.len() as u32 * 8;
        if let Some((nm, kb)) = CRYPT.iter().find(|(x, _)| x.as_bytes() == &n[..x.len()] && n[x.len()] == 0) {
            bits_ok("crypt", nm, bits, kb)?;
        }
        alg(b, XFRMA_ALG_CRYPT, &n, bits, None, &key);
    }
    if let Some(a) = sub(s, "comp", &["name"])? {
        alg(b, XFRMA_ALG_COMP, &name(a, "comp")?, 0, None, &[]);
    }
    Ok(())
}

fn hex(b: &[u8]) -> String {
    let mut s = String::with_capacity(2 + b.len() * 2);
    s.push_str("0x");
    for x in b {
        s.push_str(&format!("{x:02x}"));
    }
    s
}

/// One algorithm attribute as `{ name, key, truncLen | icvLen }`; `extra` names the u32 after
/// key_len. The key is cut to what the attribute holds.
pub fn decode(v: &[u8], extra: Option<&str>) -> Option<Settings> {
    let head = NAME_LEN + 4 + extra.map_or(0, |_| 4);
    if v.len() < head {
        return None;
    }
    let mut s = Settings::new();
    s.set_str("name", attr_str(&v[..NAME_LEN]));
    let bits = u32_at(v, NAME_LEN) as usize;
    let key = &v[head..(head + bits.div_ceil(8)).min(v.len())];
    if !key.is_empty() || bits > 0 {
        s.set_str("key", hex(key));
    }
    if let Some(k) = extra {
        s.set_int(k, u32_at(v, NAME_LEN + 4));
    }
    Some(s)
}

/// Sets `key` from an algorithm attribute, when it decodes.
pub fn set(s: &mut Settings, key: &str, v: &[u8], extra: Option<&str>) {
    if let Some(a) = decode(v, extra) {
        s.set(key, Value::Map(a));
    }
}
