use std::net::IpAddr;

use super::set::{bodies, BUDGET};
use super::*;
use crate::genl::table::attrs;
use crate::rtnl::settings::Value;

fn attr(ty: u16, v: &[u8]) -> Vec<u8> {
    let mut out = ((4 + v.len()) as u16).to_ne_bytes().to_vec();
    out.extend_from_slice(&ty.to_ne_bytes());
    out.extend_from_slice(v);
    out.resize(out.len().next_multiple_of(4), 0);
    out
}
fn nest(ty: u16, parts: &[Vec<u8>]) -> Vec<u8> {
    attr(ty | wire::NLA_F_NESTED, &parts.concat())
}

fn one_peer() -> DeviceSet {
    DeviceSet {
        dev: Dev::Name("wg0".into()),
        private_key: Some([1; 32]),
        listen_port: Some(51820),
        fwmark: Some(0x42),
        replace_peers: true,
        peers: vec![PeerSet {
            public_key: [2; 32],
            preshared_key: Some([3; 32]),
            endpoint: Some("10.0.0.1:51820".parse().unwrap()),
            persistent_keepalive: Some(25),
            allowed_ips: vec![("10.0.0.0".parse().unwrap(), 24)],
            replace_allowed_ips: true,
            ..Default::default()
        }],
    }
}

/// The layout wg's kernel_set_device writes for `wg setconf wg0` with this configuration
/// (wireguard-tools ipc-linux.h, libmnl nests with NLA_F_NESTED), built here attribute by
/// attribute from the uapi numbers.
#[test]
fn a_device_change_is_laid_out_as_wg_lays_it_out() {
    let mut endpoint = vec![2, 0, 0xca, 0x6c, 10, 0, 0, 1];
    endpoint.extend_from_slice(&[0; 8]);
    let allowed = nest(0, &[attr(1, &2u16.to_ne_bytes()), attr(2, &[10, 0, 0, 0]), attr(3, &[24])]);
    let peer = nest(
        0,
        &[
            attr(1, &[2; 32]),
            attr(2, &[3; 32]),
            attr(4, &endpoint),
            attr(5, &25u16.to_ne_bytes()),
            attr(3, &2u32.to_ne_bytes()),
            nest(9, &[allowed]),
        ],
    );
    let want = [
        attr(2, b"wg0\0"),
        attr(3, &[1; 32]),
        attr(6, &51820u16.to_ne_bytes()),
        attr(7, &0x42u32.to_ne_bytes()),
        attr(5, &1u32.to_ne_bytes()),
        nest(8, &[peer]),
    ]
    .concat();
    assert_eq!(bodies(&one_peer()).unwrap(), vec![want]);

    // A removal by index: the key and REMOVE_ME only; no peers at all: no PEERS nest.
    let rm = DeviceSet {
        dev: Dev::Index(7),
        peers: vec![PeerSet { public_key: [9; 32], remove: true, ..Default::default() }],
        ..Default::default()
    };
    let want = [attr(1, &7u32.to_ne_bytes()), nest(8, &[nest(0, &[attr(1, &[9; 32]), attr(3, &1u32.to_ne_bytes())])])].concat();
    assert_eq!(bodies(&rm).unwrap(), vec![want]);
    let port = DeviceSet { dev: Dev::Name("wg0".into()), listen_port: Some(1), ..Default::default() };
    assert_eq!(bodies(&port).unwrap(), vec![[attr(2, b"wg0\0"), attr(6, &1u16.to_ne_bytes())].concat()]);
    assert!(set(&DeviceSet { dev: Dev::Name(String::new()), ..Default::default() }).is_err());
    let long = PeerSet { allowed_ips: vec![("10.0.0.0".parse().unwrap(), 33)], ..Default::default() };
    assert!(bodies(&DeviceSet { dev: Dev::Index(1), peers: vec![long], ..Default::default() }).is_err());
}

/// Every message's peers, decoded, in order: (public key, allowed IPs, had REPLACE_ALLOWEDIPS).
fn peers_of(body: &[u8]) -> Vec<(String, Vec<String>, bool)> {
    let flags_of = |p: &[u8]| attrs(p).find(|(t, _)| *t == PA_FLAGS).and_then(|(_, v)| wire::attr_u32(v)).unwrap_or(0);
    let raw: Vec<&[u8]> = attrs(body).filter(|(t, _)| *t == A_PEERS).flat_map(|(_, v)| attrs(v).map(|(_, p)| p)).collect();
    let Some(Value::List(peers)) = decode(body).get("peers").cloned() else { panic!("no peers") };
    peers
        .iter()
        .zip(raw)
        .map(|(p, r)| {
            let Value::Map(p) = p else { panic!() };
            let Some(Value::Str(k)) = p.get("publicKey") else { panic!() };
            let Some(Value::List(ips)) = p.get("allowedIps") else { panic!() };
            let ips = ips.iter().map(|v| if let Value::Str(s) = v { s.clone() } else { panic!() }).collect();
            (k.clone(), ips, flags_of(r) & PF_REPLACE_ALLOWEDIPS != 0)
        })
        .collect()
}

#[test]
fn many_peers_split_across_messages_each_within_a_page() {
    let peers: Vec<PeerSet> = (0..300u32)
        .map(|i| {
            let mut k = [0u8; 32];
            k[..4].copy_from_slice(&i.to_be_bytes());
            PeerSet {
                public_key: k,
                allowed_ips: vec![(IpAddr::from([10, 1, (i >> 8) as u8, i as u8]), 32)],
                replace_allowed_ips: true,
                ..Default::default()
            }
        })
        .collect();
    let d = DeviceSet {
        dev: Dev::Name("wg0".into()),
        private_key: Some([1; 32]),
        replace_peers: true,
        peers: peers.clone(),
        ..Default::default()
    };
    let msgs = bodies(&d).unwrap();
    assert!(msgs.len() >= 5, "{} messages", msgs.len());
    assert!(msgs.iter().all(|m| 20 + m.len() <= BUDGET));
    // The device's own settings (and REPLACE_PEERS) in the first message only.
    assert!(attrs(&msgs[0]).any(|(t, _)| t == A_PRIVATE_KEY || t == A_FLAGS));
    assert!(msgs[1..].iter().all(|m| attrs(m).all(|(t, _)| t == A_IFNAME || t == A_PEERS)));
    // A peer whose allowed IPs did not fit ends its message (its key, flags, no IPs) and goes
    // on in the next one, as with wg: consecutive parts with one key are one peer.
    let mut got: Vec<(String, Vec<String>, bool)> = Vec::new();
    for p in msgs.iter().flat_map(|m| peers_of(m)) {
        match got.last_mut() {
            Some(last) if last.0 == p.0 => {
                assert!(!p.2, "REPLACE_ALLOWEDIPS only in a peer's first part");
                last.1.extend(p.1)
            }
            _ => got.push(p),
        }
    }
    assert_eq!(got.len(), 300);
    for (g, p) in got.iter().zip(&peers) {
        assert_eq!(g.0, base64(&p.public_key));
        assert_eq!(g.1, vec![format!("{}/32", p.allowed_ips[0].0)]);
        assert!(g.2);
    }
}

#[test]
fn a_peer_with_many_allowed_ips_continues_in_the_next_message() {
    let ips: Vec<(IpAddr, u8)> = (0..1000u16).map(|i| (IpAddr::from([0x2001, 0xdb8, i, 0, 0, 0, 0, 0]), 48)).collect();
    let mut d = one_peer();
    d.peers[0].allowed_ips = ips.clone();
    d.peers.push(PeerSet { public_key: [5; 32], ..Default::default() });
    let msgs = bodies(&d).unwrap();
    assert!(msgs.len() >= 10, "{} messages", msgs.len());
    assert!(msgs.iter().all(|m| 20 + m.len() <= BUDGET));
    let all: Vec<_> = msgs.iter().flat_map(|m| peers_of(m)).collect();
    // The first peer in every message but the last, continued each time without its settings.
    let first: Vec<_> = all.iter().filter(|p| p.0 == base64(&[2; 32])).collect();
    assert_eq!(first.len(), msgs.len());
    assert!(first[0].2, "REPLACE_ALLOWEDIPS in the first part");
    assert!(first[1..].iter().all(|p| !p.2), "and never again");
    for m in &msgs[1..] {
        let (_, p) = attrs(m).find(|(t, _)| *t == A_PEERS).unwrap();
        let (_, p) = attrs(p).next().unwrap();
        assert!(attrs(p).all(|(t, _)| t == PA_PUBLIC_KEY || t == PA_ALLOWEDIPS), "a continued peer carries its key and IPs only");
    }
    let joined: Vec<String> = first.iter().flat_map(|p| p.1.clone()).collect();
    assert_eq!(joined, ips.iter().map(|(a, c)| format!("{a}/{c}")).collect::<Vec<_>>());
    assert_eq!(all.last().unwrap().0, base64(&[5; 32]));
}

#[test]
fn replies_decode_and_survive_every_prefix() {
    let mut b = one_peer();
    b.peers[0].allowed_ips.push(("2001:db8::".parse().unwrap(), 32));
    let mut body = bodies(&b).unwrap().remove(0);
    body.extend(attr(A_IFINDEX, &3u32.to_ne_bytes()));
    let s = decode(&body);
    assert_eq!(s.get("ifname"), Some(&Value::Str("wg0".into())));
    assert_eq!(s.get("privateKey"), Some(&Value::Str(base64(&[1; 32]))));
    assert_eq!(s.get("listenPort"), Some(&Value::Int(51820)));
    let Some(Value::List(p)) = s.get("peers") else { panic!() };
    let Value::Map(p) = &p[0] else { panic!() };
    assert_eq!(p.get("endpoint"), Some(&Value::Str("10.0.0.1:51820".into())));
    assert_eq!(p.get("persistentKeepalive"), Some(&Value::Int(25)));
    let ips = Value::List(vec![Value::Str("10.0.0.0/24".into()), Value::Str("2001:db8::/32".into())]);
    assert_eq!(p.get("allowedIps"), Some(&ips));
    for n in 0..body.len() {
        decode(&body[..n]);
    }
}

#[test]
fn keys_in_base64_round_trip_and_bad_ones_are_refused() {
    for k in [[0u8; 32], [0xff; 32], std::array::from_fn(|i| i as u8 * 7)] {
        let s = base64(&k);
        assert_eq!(s.len(), 44);
        assert_eq!(key_from_base64(&s).unwrap(), k);
    }
    assert_eq!(base64(b"any carnal pleas"), "YW55IGNhcm5hbCBwbGVhcw==");
    for bad in
        ["", "AAAA", &"A".repeat(44), &format!("{}==", "A".repeat(42)), &format!("{}B=", "A".repeat(42)), &format!("{}*=", "A".repeat(42))]
    {
        assert!(key_from_base64(bad).is_err(), "{bad}");
    }
}
