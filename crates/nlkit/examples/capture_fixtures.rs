//! Captures rtnetlink replies from the real kernel as byte fixtures for `tests/fixtures.rs`.
//!
//! Regenerate (as root, or with CAP_SYS_ADMIN + CAP_NET_ADMIN):
//!
//! ```text
//! cargo run -p nlkit --example capture_fixtures
//! ```
//!
//! The tool moves its main thread into a fresh, private network namespace
//! (`nlkit::sys::unshare_netns_thread`), builds a small, known topology there with nlkit itself
//! (documented below and printed on stdout), then opens a raw rtnetlink socket and writes every
//! datagram the kernel sends back, verbatim, to `crates/nlkit/tests/fixtures/`:
//!
//! | file                      | what the kernel answered                                       |
//! |---------------------------|----------------------------------------------------------------|
//! | `link_dump.bin`           | `link::dump()` (seq 1001)                                      |
//! | `addr_dump.bin`           | `addr::dump(0, 0)` (seq 1002)                                  |
//! | `route_dump.bin`          | `route::dump(0, None, None)` (seq 1003)                        |
//! | `route_get.bin`           | `route::get` 10.20.1.2, AF_INET (seq 1004)                     |
//! | `route_get6.bin`          | `route::get` 2001:db8:20::5, AF_INET6 (seq 1005)               |
//! | `error_extack.bin`        | route add with a 2-byte RTA_GATEWAY, NETLINK_EXT_ACK (1006)    |
//! | `error_extack_capped.bin` | the same, with NETLINK_CAP_ACK as well (1007)                  |
//! | `error_addr_prefix.bin`   | IPv4 address add with prefix length 33, NETLINK_EXT_ACK (1008) |
//!
//! plus `capture.txt`: human-readable notes (kernel, port ids, indices, what was set up).
//!
//! Each `.bin` file is the concatenation of the raw datagrams; netlink messages are
//! self-delimiting (`nlmsg_len`, 4-byte aligned), so `nlkit::wire::messages` walks the whole file.
//! No traffic leaves the namespace; all addresses are private/documentation ranges.
//!
//! Topology (indices are allocated per namespace: veth registers the peer first):
//!
//! ```text
//! lo      up                                   (index 1)
//!         3 UDP datagrams of 100 bytes sent to itself (lo counters: 3 packets / 384 bytes each way)
//! vfix1   veth peer of vfix0, up               (index 2)
//!         10.12.0.1 peer 10.12.0.2/32, valid_lft 3600 preferred_lft 1800
//!         2001:db8:12::1/64 nodad noprefixroute
//! vfix0   veth, up, mtu 1400, alias "fixture alias", altname "vfix0-alt"  (index 3)
//!         10.11.0.1/24 brd 10.11.0.255 label vfix0:lbl
//!         2001:db8:11::1/64 nodad
//! routes  10.20.0.0/16 via 10.11.0.2 dev vfix0 proto static metric 100
//!         default via 10.11.0.254 dev vfix0                (proto boot)
//!         2001:db8:20::/48 via 2001:db8:11::2 dev vfix0     (proto boot, metric 1024)
//!         10.30.0.0/24 dev vfix0 table 1000                (scope link, proto boot)
//!         blackhole 10.40.0.0/16                           (proto boot)
//! ```

use std::fmt::Write as _;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::os::fd::AsRawFd;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use nlkit::rtnl::addr::{self, AddrOp, AddrSpec};
use nlkit::rtnl::link::{self, LinkRef};
use nlkit::rtnl::route::{self, RouteOp, RouteQuery, RouteSpec};
use nlkit::rtnl::{Object, AF_INET, AF_INET6};
use nlkit::sys::{poll_readable, NetlinkSocket};
use nlkit::wire::{self, MsgBuilder, NLMSG_DONE, NLMSG_ERROR, NLM_F_ACK, NLM_F_APPEND, NLM_F_CREATE, NLM_F_EXCL};
use nlkit::{Client, Options, Request};

const IFLA_MTU: u16 = 4;
const IFLA_IFALIAS: u16 = 20;
const IFLA_PROP_LIST: u16 = 52;
const IFLA_ALT_IFNAME: u16 = 53;
const RTM_NEWLINKPROP: u16 = 108;
const RTA_TABLE: u16 = 15;
const RTA_DST: u16 = 1;
const RTA_GATEWAY: u16 = 5;
const IFA_LOCAL: u16 = 2;
const IFA_ADDRESS: u16 = 1;
const IFA_F_NODAD: u32 = 0x02;
const IFA_F_NOPREFIXROUTE: u32 = 0x200;
const RTPROT_STATIC: u8 = 4;
const RTN_BLACKHOLE: u8 = 6;

fn ifinfomsg(index: i32) -> [u8; 16] {
    let mut h = [0u8; 16];
    h[4..8].copy_from_slice(&index.to_ne_bytes());
    h
}

fn v4(a: u8, b: u8, c: u8, d: u8) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(a, b, c, d))
}

fn v6(s: &str) -> IpAddr {
    IpAddr::V6(s.parse::<Ipv6Addr>().expect("literal IPv6 address"))
}

fn call(c: &Client, what: &str, req: Request, notes: &mut String) -> Vec<Object> {
    match c.call(req, Some(Duration::from_secs(5))) {
        Ok(objs) => {
            println!("ok: {what}");
            let _ = writeln!(notes, "ok: {what}");
            objs
        }
        Err(e) => panic!("{what}: {e} ({e:?})"),
    }
}

/// Sends one request on the raw socket and collects every datagram up to the end of its answer:
/// NLMSG_DONE or NLMSG_ERROR for our seq, or (for a plain get) the first message with our seq.
fn exchange(sock: &NetlinkSocket, mut req: Vec<u8>, seq: u32) -> Vec<u8> {
    wire::stamp(&mut req, seq, sock.port());
    sock.send_to_kernel(&req).expect("sendto");
    let mut out = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        assert!(!left.is_zero(), "no complete answer for seq {seq}");
        if !poll_readable(&[sock.as_raw_fd()], Some(left)).expect("poll")[0] {
            continue;
        }
        let (n, from) = match sock.recv_datagram(&mut buf) {
            Ok(x) => x,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => continue,
            Err(e) => panic!("recv: {e}"),
        };
        assert_eq!(from, 0, "datagram not from the kernel");
        let dgram = &buf[..n];
        out.extend_from_slice(dgram);
        let mut finished = false;
        for m in wire::messages(dgram) {
            let m = m.expect("kernel sent a malformed datagram");
            if m.header.seq != seq {
                continue;
            }
            let multi = m.header.flags & wire::NLM_F_MULTI != 0;
            if m.header.ty == NLMSG_DONE || m.header.ty == NLMSG_ERROR || !multi {
                finished = true;
            }
        }
        if finished {
            return out;
        }
    }
}

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests").join("fixtures")
}

fn save(name: &str, bytes: &[u8], notes: &mut String) {
    let path = fixtures_dir().join(name);
    std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    let count = wire::messages(bytes).count();
    println!("wrote {} ({} bytes, {} messages)", path.display(), bytes.len(), count);
    let _ = writeln!(notes, "{name}: {} bytes, {count} messages", bytes.len());
}

fn main() {
    nlkit::sys::unshare_netns_thread().expect("unshare(CLONE_NEWNET) (run as root)");
    std::fs::create_dir_all(fixtures_dir()).expect("create fixtures dir");
    let mut notes = String::new();
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    let _ = writeln!(notes, "# written by `cargo run -p nlkit --example capture_fixtures`");
    let _ = writeln!(notes, "kernel: {}", kernel.trim());

    // --- set up the namespace with nlkit itself ------------------------------------------
    let c = Client::open(Options::default()).expect("open rtnetlink client");
    call(&c, "link set lo up", Request::ack(link::set_up(&LinkRef::Name("lo".into()), true)), &mut notes);
    call(&c, "link add vfix0 type veth peer vfix1", Request::ack(link::add_veth("vfix0", "vfix1")), &mut notes);

    let links = call(&c, "link dump (indices)", Request::dump(link::dump(), Default::default()), &mut notes);
    let index_of = |name: &str| -> i32 {
        links
            .iter()
            .find_map(|o| match o {
                Object::Link(l) if l.name == name => Some(l.index),
                _ => None,
            })
            .unwrap_or_else(|| panic!("no link {name}"))
    };
    let (lo, v0, v1) = (index_of("lo"), index_of("vfix0"), index_of("vfix1"));
    println!("indices: lo={lo} vfix0={v0} vfix1={v1}");
    let _ = writeln!(notes, "indices: lo={lo} vfix0={v0} vfix1={v1}");

    // MTU and alias: nlkit has no request for these, so build it with its MsgBuilder.
    let mut b = MsgBuilder::new(link::RTM_SETLINK, NLM_F_ACK);
    b.push(&ifinfomsg(v0));
    b.attr_u32(IFLA_MTU, 1400);
    b.attr_str(IFLA_IFALIAS, "fixture alias");
    call(&c, "link set vfix0 mtu 1400 alias 'fixture alias'", Request::ack(b.finish()), &mut notes);

    let mut b = MsgBuilder::new(RTM_NEWLINKPROP, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL | NLM_F_APPEND);
    b.push(&ifinfomsg(v0));
    let n = b.nest_start(IFLA_PROP_LIST);
    b.attr_str(IFLA_ALT_IFNAME, "vfix0-alt");
    b.nest_end(n);
    call(&c, "link property add dev vfix0 altname vfix0-alt", Request::ack(b.finish()), &mut notes);

    call(&c, "link set vfix1 up", Request::ack(link::set_up(&LinkRef::Name("vfix1".into()), true)), &mut notes);
    call(&c, "link set vfix0 up", Request::ack(link::set_up(&LinkRef::Index(v0), true)), &mut notes);

    let addr = |index: i32, address: IpAddr, prefix_len: u8| AddrSpec {
        index: index as u32,
        address,
        prefix_len,
        scope: None,
        label: None,
        broadcast: None,
        peer: None,
        valid_lft: None,
        preferred_lft: None,
        flags: 0,
    };
    let specs = [
        (
            "addr add 10.11.0.1/24 brd 10.11.0.255 dev vfix0 label vfix0:lbl",
            AddrSpec { broadcast: Some(Ipv4Addr::new(10, 11, 0, 255)), label: Some("vfix0:lbl".into()), ..addr(v0, v4(10, 11, 0, 1), 24) },
        ),
        ("addr add 2001:db8:11::1/64 dev vfix0 nodad", AddrSpec { flags: IFA_F_NODAD, ..addr(v0, v6("2001:db8:11::1"), 64) }),
        (
            "addr add 10.12.0.1 peer 10.12.0.2/32 dev vfix1 valid_lft 3600 preferred_lft 1800",
            AddrSpec { peer: Some(v4(10, 12, 0, 2)), valid_lft: Some(3600), preferred_lft: Some(1800), ..addr(v1, v4(10, 12, 0, 1), 32) },
        ),
        (
            "addr add 2001:db8:12::1/64 dev vfix1 nodad noprefixroute",
            AddrSpec { flags: IFA_F_NODAD | IFA_F_NOPREFIXROUTE, ..addr(v1, v6("2001:db8:12::1"), 64) },
        ),
    ];
    for (what, spec) in &specs {
        call(&c, what, Request::ack(addr::encode(spec, AddrOp::Add)), &mut notes);
    }

    let routes = [
        (
            "route add 10.20.0.0/16 via 10.11.0.2 dev vfix0 proto static metric 100",
            RouteSpec {
                family: AF_INET,
                dst: Some(v4(10, 20, 0, 0)),
                dst_len: 16,
                gateway: Some(v4(10, 11, 0, 2)),
                oif: Some(v0 as u32),
                metric: Some(100),
                protocol: Some(RTPROT_STATIC),
                ..Default::default()
            },
        ),
        (
            "route add default via 10.11.0.254 dev vfix0",
            RouteSpec { family: AF_INET, gateway: Some(v4(10, 11, 0, 254)), oif: Some(v0 as u32), ..Default::default() },
        ),
        (
            "route add 2001:db8:20::/48 via 2001:db8:11::2 dev vfix0",
            RouteSpec {
                family: AF_INET6,
                dst: Some(v6("2001:db8:20::")),
                dst_len: 48,
                gateway: Some(v6("2001:db8:11::2")),
                oif: Some(v0 as u32),
                ..Default::default()
            },
        ),
        (
            "route add 10.30.0.0/24 dev vfix0 table 1000",
            RouteSpec {
                family: AF_INET,
                dst: Some(v4(10, 30, 0, 0)),
                dst_len: 24,
                oif: Some(v0 as u32),
                table: Some(1000),
                ..Default::default()
            },
        ),
        (
            "route add blackhole 10.40.0.0/16",
            RouteSpec { family: AF_INET, dst: Some(v4(10, 40, 0, 0)), dst_len: 16, route_type: Some(RTN_BLACKHOLE), ..Default::default() },
        ),
    ];
    for (what, spec) in &routes {
        call(&c, what, Request::ack(route::encode(spec, RouteOp::Add)), &mut notes);
    }
    drop(c);

    // Known traffic on lo, so that its counters are not all zero: 3 UDP datagrams of 100 bytes
    // to ourselves (lo counts each as 20 + 8 + 100 = 128 bytes, both rx and tx).
    let udp = std::net::UdpSocket::bind("127.0.0.1:0").expect("bind udp on lo");
    let to = udp.local_addr().expect("udp local addr");
    for _ in 0..3 {
        udp.send_to(&[0x5a; 100], to).expect("udp send on lo");
    }
    let mut sink = [0u8; 200];
    for _ in 0..3 {
        udp.recv_from(&mut sink).expect("udp recv on lo");
    }
    drop(udp);
    println!("sent 3 x 100-byte UDP datagrams over lo");
    let _ = writeln!(notes, "traffic: 3 x 100-byte UDP datagrams over lo");

    // --- capture on a raw socket ---------------------------------------------------------
    let sock = NetlinkSocket::open(libc::NETLINK_ROUTE).expect("open raw NETLINK_ROUTE socket");
    let _ = writeln!(notes, "raw socket port id: {}", sock.port());
    println!("raw socket port id: {}", sock.port());

    save("link_dump.bin", &exchange(&sock, link::dump(), 1001), &mut notes);
    save("addr_dump.bin", &exchange(&sock, addr::dump(0, 0), 1002), &mut notes);
    save("route_dump.bin", &exchange(&sock, route::dump(0, None, None), 1003), &mut notes);
    let q = RouteQuery { dst: Some(v4(10, 20, 1, 2)), ..Default::default() };
    save("route_get.bin", &exchange(&sock, route::get(&q, AF_INET), 1004), &mut notes);
    let q = RouteQuery { dst: Some(v6("2001:db8:20::5")), ..Default::default() };
    save("route_get6.bin", &exchange(&sock, route::get(&q, AF_INET6), 1005), &mut notes);

    // A request the kernel rejects with an extended ACK: a route add whose RTA_GATEWAY is 2
    // bytes long (rtm_ipv4_policy wants a u32). Layout: header 16, rtmsg 12 (16..28),
    // RTA_TABLE 8 (28..36), RTA_DST 8 (36..44), RTA_GATEWAY at offset 44.
    let bad_route = || {
        let mut b = MsgBuilder::new(route::RTM_NEWROUTE, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
        // rtmsg: family, dst_len, src_len, tos, table main, proto boot, scope universe, unicast, flags
        b.push(&[AF_INET, 24, 0, 0, 254, 3, 0, 1, 0, 0, 0, 0]);
        b.attr_u32(RTA_TABLE, 254);
        b.attr(RTA_DST, &[10, 50, 0, 0]);
        b.attr(RTA_GATEWAY, &[10, 11]);
        b.finish()
    };
    sock.set_int_opt(libc::SOL_NETLINK, libc::NETLINK_EXT_ACK, 1).expect("NETLINK_EXT_ACK");
    save("error_extack.bin", &exchange(&sock, bad_route(), 1006), &mut notes);
    let _ = writeln!(notes, "error_extack.bin request: {:02x?}", bad_route());

    let capped = NetlinkSocket::open(libc::NETLINK_ROUTE).expect("open second raw socket");
    capped.set_int_opt(libc::SOL_NETLINK, libc::NETLINK_EXT_ACK, 1).expect("NETLINK_EXT_ACK");
    capped.set_int_opt(libc::SOL_NETLINK, libc::NETLINK_CAP_ACK, 1).expect("NETLINK_CAP_ACK");
    let _ = writeln!(notes, "capped socket port id: {}", capped.port());
    save("error_extack_capped.bin", &exchange(&capped, bad_route(), 1007), &mut notes);

    // An IPv4 address with prefix length 33, built raw (AddrSpec would encode it as given too,
    // but keep the request independent of the encoder).
    let mut b = MsgBuilder::new(addr::RTM_NEWADDR, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
    let mut ifa = [AF_INET, 33, 0, 0, 0, 0, 0, 0];
    ifa[4..8].copy_from_slice(&(v0 as u32).to_ne_bytes());
    b.push(&ifa);
    b.attr(IFA_LOCAL, &[10, 60, 0, 1]);
    b.attr(IFA_ADDRESS, &[10, 60, 0, 1]);
    save("error_addr_prefix.bin", &exchange(&sock, b.finish(), 1008), &mut notes);

    std::fs::write(fixtures_dir().join("capture.txt"), &notes).expect("write capture.txt");
    println!("wrote {}", fixtures_dir().join("capture.txt").display());
}
