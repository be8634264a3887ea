//! Tracing prints datagrams as strace decodes netlink: the same text for the requests and
//! replies iproute2 exchanged with the kernel (tests/fixtures/strace_rtnl.tsv), and sane text
//! for generic netlink, other protocols and malformed input.

use nlkit::trace::{format_datagram, Dir};

fn hex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

/// The text after the `nlkit: NETLINK_ROUTE sent ` prefix of a one-message datagram.
fn body(protocol: i32, dir: Dir, b: &[u8]) -> String {
    let line = format_datagram(protocol, dir, b);
    assert_eq!(line.lines().count(), 1, "{line}");
    line.split_once(if dir == Dir::Sent { " sent " } else { " received " }).unwrap().1.to_string()
}

#[test]
fn rtnetlink_messages_read_as_strace_reads_them() {
    let table = include_str!("fixtures/strace_rtnl.tsv");
    let mut n = 0;
    for row in table.lines().filter(|l| !l.starts_with('#') && !l.is_empty()) {
        let f: Vec<&str> = row.split('\t').collect();
        let dir = if f[1] == "sendmsg" { Dir::Sent } else { Dir::Received };
        assert_eq!(body(libc::NETLINK_ROUTE, dir, &hex(f[2])), f[3], "{} {}", f[0], f[1]);
        n += 1;
    }
    assert!(n >= 10, "{n} vectors");
}

#[test]
fn several_messages_in_one_datagram_are_one_line_each() {
    let rows: Vec<Vec<u8>> = include_str!("fixtures/strace_rtnl.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && l.contains("\tsendmsg\t"))
        .map(|l| hex(l.split('\t').nth(2).unwrap()))
        .collect();
    let both = [rows[0].clone(), rows[1].clone()].concat();
    let text = format_datagram(libc::NETLINK_ROUTE, Dir::Sent, &both);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(lines.iter().all(|l| l.starts_with("nlkit: NETLINK_ROUTE sent [{nlmsg_len=")), "{text}");
    assert!(lines[0].contains("RTM_NEWLINK") && lines[1].contains("RTM_NEWADDR"), "{text}");
}

#[test]
fn generic_netlink_controller_by_name() {
    // CTRL_CMD_GETFAMILY for "nlctrl", as `genl ctrl get name nlctrl` sends it.
    let b = hex("20000000100005000100000000000000030000000b0002006e6c6374726c0000");
    assert_eq!(
        body(libc::NETLINK_GENERIC, Dir::Sent, &b),
        "[{nlmsg_len=32, nlmsg_type=nlctrl, nlmsg_flags=NLM_F_REQUEST|NLM_F_ACK, nlmsg_seq=1, nlmsg_pid=0}, \
         {cmd=CTRL_CMD_GETFAMILY, version=0}, [{nla_len=11, nla_type=CTRL_ATTR_FAMILY_NAME}, \"nlctrl\"]]"
    );
    // Another family: command and attributes by number.
    let b = hex("1c0000001a0001000200000000000000010100000800010007000000");
    assert_eq!(
        body(libc::NETLINK_GENERIC, Dir::Sent, &b),
        "[{nlmsg_len=28, nlmsg_type=0x1a, nlmsg_flags=NLM_F_REQUEST, nlmsg_seq=2, nlmsg_pid=0}, {cmd=0x1, version=1}, \
         [{nla_len=8, nla_type=0x1}, \"\\x07\\x00\\x00\\x00\"]]"
    );
}

#[test]
fn other_protocols_show_the_header_and_bytes() {
    let b = hex("140000001400010003000000000000000a000000");
    assert_eq!(
        format_datagram(libc::NETLINK_SOCK_DIAG, Dir::Sent, &b),
        "nlkit: NETLINK_SOCK_DIAG sent [{nlmsg_len=20, nlmsg_type=0x14, nlmsg_flags=NLM_F_REQUEST, nlmsg_seq=3, nlmsg_pid=0}, \"\\x0a\\x00\\x00\\x00\"]"
    );
    assert!(format_datagram(99, Dir::Received, &b).starts_with("nlkit: netlink protocol 99 received ["));
}

#[test]
fn malformed_input_is_shown_not_trusted() {
    // A length beyond the datagram, a short header, an attribute longer than its message, and
    // nesting deeper than the printer follows: text, never a panic.
    let cases = [
        hex("ff00000010000100"),
        hex("0800"),
        hex("2000000010000500010000000000000000000000000000000000000000000000ff000300"),
        hex("1c000000100001000100000000000000000000000000000000000000"),
    ];
    for b in &cases {
        let t = format_datagram(libc::NETLINK_ROUTE, Dir::Received, b);
        assert!(t.starts_with("nlkit: NETLINK_ROUTE received ["), "{t}");
    }
    // IFLA_LINKINFO nested in itself 200 times: printed to the depth limit, then as bytes.
    let mut inner: Vec<u8> = Vec::new();
    for _ in 0..200 {
        let mut a = Vec::new();
        a.extend_from_slice(&((4 + inner.len()) as u16).to_ne_bytes());
        a.extend_from_slice(&18u16.to_ne_bytes());
        a.extend_from_slice(&inner);
        inner = a;
    }
    let mut m = hex("00000000100000000000000000000000");
    m.extend_from_slice(&[0u8; 16]);
    m.extend_from_slice(&inner);
    let len = m.len() as u32;
    m[..4].copy_from_slice(&len.to_ne_bytes());
    let t = format_datagram(libc::NETLINK_ROUTE, Dir::Received, &m);
    assert!(t.len() < 64 * 1024, "bounded: {} bytes", t.len());
}
