//! Link kinds against the real kernel. Each test runs on its own thread moved into a fresh
//! network namespace (`unshare(CLONE_NEWNET)` of that thread only), so nothing outside is
//! touched and everything is gone when the thread ends. Needs root: without it a test prints
//! a skip message and passes. A kind the running kernel lacks (its module missing) is skipped
//! the same way.
//!
//! Each test creates a link with settings, reads it back and checks the decoded settings hold
//! what was set. Where the kind allows a second link of the same shape, it then creates one
//! from the settings *as decoded* (so decode's output is something encode and the kernel
//! accept) and checks it reads back the same.

use std::thread;

use nlkit::netns::NetnsRef;
use nlkit::rtnl::link::tun::{self, TunMode, TunSpec};
use nlkit::rtnl::link::{self, Link, LinkRef, LinkSpec};
use nlkit::rtnl::settings::{Settings, Value};
use nlkit::rtnl::Object;
use nlkit::{Client, Options, Request};

/// Runs `f` on a thread in a new network namespace with a client opened there.
fn in_netns(test: &str, f: impl FnOnce(&Client) + Send + 'static) {
    let test = test.to_string();
    let r = thread::spawn(move || {
        if let Err(e) = nlkit::sys::unshare_netns_thread() {
            if e.raw_os_error() == Some(libc::EPERM) {
                println!("skip: {test}: unshare(CLONE_NEWNET) needs root ({e})");
                return;
            }
            panic!("{test}: unshare: {e}");
        }
        let c = Client::open(Options::default()).expect("open client");
        f(&c);
    })
    .join();
    if let Err(p) = r {
        std::panic::resume_unwind(p);
    }
}

/// Creates a link; the error (kernel errno) is returned for the caller to judge.
fn add(c: &Client, spec: &LinkSpec) -> nlkit::Result<()> {
    let link::Encoded { bytes, ctx } = link::add(spec).expect("encode");
    let r = c.call(Request::ack(bytes), None).map(|_| ());
    drop(ctx); // namespace fds (if any) stay open until the request is answered
    r
}

/// `add`, or `false` (after printing why) when the kernel lacks the kind.
fn add_or_skip(c: &Client, spec: &LinkSpec) -> bool {
    match add(c, spec) {
        Ok(()) => true,
        Err(e) if [libc::EOPNOTSUPP, libc::ENODEV, libc::EAFNOSUPPORT, libc::EPROTONOSUPPORT].contains(&e.errno) => {
            println!("skip: kind {} not available on this kernel ({e})", spec.kind.as_deref().unwrap_or("?"));
            false
        }
        Err(e) => panic!("creating {:?} ({:?}): {e}", spec.name, spec.kind),
    }
}

fn get(c: &Client, name: &str) -> Link {
    let objs = c.call(Request::get(link::get(&LinkRef::Name(name.into()))), None).expect("link get");
    objs.into_iter()
        .find_map(|o| match o {
            Object::Link(l) => Some(l),
            _ => None,
        })
        .expect("a link in the reply")
}

fn veth(c: &Client, name: &str, peer: &str) -> u32 {
    c.call(Request::ack(link::add_veth(name, peer)), None).expect("veth");
    get(c, name).index as u32
}

fn spec(name: &str, kind: &str, info: &Settings) -> LinkSpec {
    LinkSpec { name: Some(name.into()), kind: Some(kind.into()), info: info.clone(), ..Default::default() }
}

/// Every key of `want` is in `got` with the same value.
fn assert_has(l: &Link, want: &Settings) {
    let got = l.info.clone().unwrap_or_default();
    for (k, v) in &want.0 {
        assert_eq!(got.get(k), Some(v), "{} ({:?}): {k} (decoded: {got:?})", l.name, l.kind);
    }
}

/// Creates `name` from `l`'s decoded settings (less the keys in `strip`, with `changes`
/// applied) and checks it reads back with the same keys and those values.
fn clone_from_decoded(c: &Client, l: &Link, name: &str, strip: &[&str], changes: &Settings, parent: Option<u32>) {
    let decoded = l.info.clone().expect("decoded settings");
    let mut info = decoded.clone();
    info.0.retain(|(k, _)| !strip.contains(&k.as_str()));
    for (k, v) in &changes.0 {
        info.set(k, v.clone());
    }
    let kind = l.kind.as_deref().expect("kind");
    let s = LinkSpec { link: parent, ..spec(name, kind, &info) };
    add(c, &s).unwrap_or_else(|e| panic!("re-creating {kind} from decoded {info:?}: {e}"));
    let back = get(c, name);
    assert_eq!(back.kind.as_deref(), Some(kind));
    assert_has(&back, &info);
    let keys = |s: &Settings| {
        let mut k: Vec<String> = s.0.iter().map(|(k, _)| k.clone()).collect();
        k.sort();
        k
    };
    assert_eq!(keys(&back.info.unwrap_or_default()), keys(&decoded), "{name}: same keys as {}", l.name);
}

#[test]
fn bridge() {
    in_netns("bridge", |c| {
        let mut s = Settings::new();
        s.set_bool("stp", false)
            .set_int("forwardDelay", 1000)
            .set_int("helloTime", 300)
            .set_int("maxAge", 2500)
            .set_int("ageingTime", 20000)
            .set_int("priority", 4096)
            .set_int("groupFwdMask", 0x4000)
            .set_bool("mcastSnooping", false)
            .set_int("mcastRouter", 2)
            .set_bool("mcastQuerier", true)
            .set_int("mcastQueryIntvl", 10000)
            .set_int("mcastIgmpVersion", 3)
            .set_bool("nfCallIptables", true)
            .set_bool("noLinklocalLearn", true);
        if !add_or_skip(c, &spec("br0", "bridge", &s)) {
            return;
        }
        let l = get(c, "br0");
        assert_eq!(l.kind.as_deref(), Some("bridge"));
        assert_has(&l, &s);
        let info = l.info.clone().unwrap();
        // Defaults the kernel reports are decoded too.
        assert_eq!(info.get("groupAddr"), Some(&Value::Str("01:80:c2:00:00:00".into())));
        // VLAN-only options that are off are left out (this kernel refuses them even as false).
        assert!(info.get("vlanFiltering").is_none() && info.get("mstEnabled").is_none());
        // A kernel built without CONFIG_BRIDGE_VLAN_FILTERING reports vlan_filtering 0 but
        // refuses the attribute, even as 0, and may refuse VLAN-only boolean options likewise:
        // leave out of the clone what this kernel refuses on its own.
        let mut strip = Vec::new();
        for (i, key) in ["vlanFiltering", "mstEnabled", "mcastVlanSnooping"].into_iter().enumerate() {
            let Some(v) = info.get(key) else { continue };
            let mut probe = Settings::new();
            probe.set(key, v.clone());
            if let Err(e) = add(c, &spec(&format!("brprobe{i}"), "bridge", &probe)) {
                println!("note: this kernel refuses bridge {key}={v:?} ({e}); cloning without it");
                strip.push(key);
            }
        }
        clone_from_decoded(c, &l, "br1", &strip, &Settings::new(), None);
    });
}

#[test]
fn macvlan() {
    in_netns("macvlan", |c| {
        let parent = veth(c, "v0", "v1");
        let mut s = Settings::new();
        s.set_str("mode", "bridge").set_bool("nopromisc", false).set_bool("nodst", true).set_int("bcqueuelen", 500);
        let sp = LinkSpec { link: Some(parent), ..spec("mv0", "macvlan", &s) };
        if !add_or_skip(c, &sp) {
            return;
        }
        let l = get(c, "mv0");
        assert_eq!(l.kind.as_deref(), Some("macvlan"));
        assert_eq!(l.link, Some(parent));
        assert_has(&l, &s);
        clone_from_decoded(c, &l, "mv1", &[], &Settings::new(), Some(parent));
        // Every mode but passthru (which takes the parent over) can sit on one parent.
        for (i, mode) in ["private", "vepa", "source"].iter().enumerate() {
            let mut s = Settings::new();
            s.set_str("mode", *mode);
            let name = format!("mvm{i}");
            add(c, &LinkSpec { link: Some(parent), ..spec(&name, "macvlan", &s) }).expect(mode);
            assert_has(&get(c, &name), &s);
        }
    });
}

#[test]
fn macvtap() {
    in_netns("macvtap", |c| {
        let parent = veth(c, "v0", "v1");
        let mut s = Settings::new();
        s.set_str("mode", "source")
            .set_bool("nopromisc", false)
            .set("macaddrData", Value::List(vec![Value::Str("02:00:00:00:00:01".into()), Value::Str("02:00:00:00:00:02".into())]));
        let sp = LinkSpec { link: Some(parent), ..spec("mt0", "macvtap", &s) };
        if !add_or_skip(c, &sp) {
            return;
        }
        let l = get(c, "mt0");
        assert_eq!(l.kind.as_deref(), Some("macvtap"));
        assert_has(&l, &s);
        clone_from_decoded(c, &l, "mt1", &[], &Settings::new(), Some(parent));
        // Passthru on a parent of its own.
        let p2 = veth(c, "v2", "v3");
        let mut s = Settings::new();
        s.set_str("mode", "passthru").set_bool("nopromisc", true);
        add(c, &LinkSpec { link: Some(p2), ..spec("mt2", "macvtap", &s) }).expect("passthru");
        assert_has(&get(c, "mt2"), &s);
    });
}

#[test]
fn vxlan() {
    in_netns("vxlan", |c| {
        let dev = veth(c, "v0", "v1");
        let mut range = Settings::new();
        range.set_int("low", 40000).set_int("high", 50000);
        let mut s = Settings::new();
        s.set_int("id", 42)
            .set_int("port", 4789)
            .set_int("dev", dev)
            .set_str("local", "10.1.2.3")
            .set_str("remote", "10.9.9.9")
            .set_bool("learning", false)
            .set_int("ttl", 64)
            .set_int("tos", 0x10)
            .set_int("ageing", 120)
            .set_int("limit", 100)
            .set("srcPortRange", Value::Map(range))
            .set_bool("proxy", true)
            .set_bool("l2miss", true)
            .set_bool("l3miss", false)
            .set_bool("udpCsum", false)
            .set_str("df", "set");
        if !add_or_skip(c, &spec("vx0", "vxlan", &s)) {
            return;
        }
        let l = get(c, "vx0");
        assert_eq!(l.kind.as_deref(), Some("vxlan"));
        assert_has(&l, &s);
        let mut other = Settings::new();
        other.set_int("id", 43);
        clone_from_decoded(c, &l, "vx1", &[], &other, None);
        // Multicast group (needs the underlay device), and IPv6.
        let mut g = Settings::new();
        g.set_int("id", 100).set_str("group", "239.1.1.1").set_int("dev", dev).set_int("port", 8472);
        add(c, &spec("vx2", "vxlan", &g)).expect("vxlan group");
        assert_has(&get(c, "vx2"), &g);
        let mut g6 = Settings::new();
        g6.set_int("id", 101).set_str("group", "ff05::100").set_int("dev", dev).set_int("label", 0x12345);
        add(c, &spec("vx3", "vxlan", &g6)).expect("vxlan group6");
        assert_has(&get(c, "vx3"), &g6);
        let mut r6 = Settings::new();
        r6.set_int("id", 102).set_str("remote", "2001:db8::2").set_str("local", "2001:db8::1").set_bool("ttlInherit", true);
        add(c, &spec("vx4", "vxlan", &r6)).expect("vxlan remote6");
        assert_has(&get(c, "vx4"), &r6);
    });
}

// ---------------------------------------------------------------------------------------------
// Kinds this test machine's kernel may lack: each test skips when creation says EOPNOTSUPP.

fn qos(from: i64, to: i64) -> Value {
    let mut m = Settings::new();
    m.set_int("from", from).set_int("to", to);
    Value::List(vec![Value::Map(m)])
}

#[test]
fn vlan() {
    in_netns("vlan", |c| {
        let parent = veth(c, "v0", "v1");
        let mut s = Settings::new();
        s.set_int("id", 100)
            .set_str("protocol", "802.1ad")
            .set_bool("reorderHdr", true)
            .set_bool("gvrp", false)
            .set_bool("mvrp", false)
            .set_bool("looseBinding", true)
            .set_bool("bridgeBinding", false)
            .set("ingressQos", qos(1, 5))
            .set("egressQos", qos(3, 2));
        if !add_or_skip(c, &LinkSpec { link: Some(parent), ..spec("v0.100", "vlan", &s) }) {
            return;
        }
        let l = get(c, "v0.100");
        assert_eq!(l.kind.as_deref(), Some("vlan"));
        assert_eq!(l.link, Some(parent));
        assert_has(&l, &s);
        let mut other = Settings::new();
        other.set_int("id", 101);
        clone_from_decoded(c, &l, "v0.101", &[], &other, Some(parent));
    });
}

#[test]
fn bond() {
    in_netns("bond", |c| {
        let mut s = Settings::new();
        s.set_str("mode", "802.3ad")
            .set_int("miimon", 100)
            .set_int("updelay", 200)
            .set_int("downdelay", 200)
            .set_str("xmitHashPolicy", "layer3+4")
            .set_str("adLacpRate", "fast")
            .set_str("adSelect", "bandwidth")
            .set_int("minLinks", 1);
        if !add_or_skip(c, &spec("bond0", "bond", &s)) {
            return;
        }
        let l = get(c, "bond0");
        assert_eq!(l.kind.as_deref(), Some("bond"));
        assert_has(&l, &s);
        let mut s = Settings::new();
        s.set_str("mode", "active-backup")
            .set_int("arpInterval", 1000)
            .set("arpIpTarget", Value::List(vec![Value::Str("10.0.0.1".into()), Value::Str("10.0.0.2".into())]))
            .set_str("arpValidate", "all");
        add(c, &spec("bond1", "bond", &s)).expect("bond with ARP monitoring");
        assert_has(&get(c, "bond1"), &s);
    });
}

#[test]
fn vrf() {
    in_netns("vrf", |c| {
        let mut s = Settings::new();
        s.set_int("table", 10);
        if !add_or_skip(c, &spec("vrf10", "vrf", &s)) {
            return;
        }
        let l = get(c, "vrf10");
        assert_eq!(l.kind.as_deref(), Some("vrf"));
        assert_has(&l, &s);
        let mut other = Settings::new();
        other.set_int("table", 20);
        clone_from_decoded(c, &l, "vrf20", &[], &other, None);
    });
}

#[test]
fn ipvlan_and_ipvtap() {
    in_netns("ipvlan", |c| {
        let parent = veth(c, "v0", "v1");
        let mut s = Settings::new();
        s.set_str("mode", "l3").set_str("flags", "private");
        if !add_or_skip(c, &LinkSpec { link: Some(parent), ..spec("ipv0", "ipvlan", &s) }) {
            return;
        }
        let l = get(c, "ipv0");
        assert_eq!(l.kind.as_deref(), Some("ipvlan"));
        assert_has(&l, &s);
        let mut s = Settings::new();
        s.set_str("mode", "l3").set_str("flags", "vepa");
        if add_or_skip(c, &LinkSpec { link: Some(parent), ..spec("ipvt0", "ipvtap", &s) }) {
            let l = get(c, "ipvt0");
            assert_eq!(l.kind.as_deref(), Some("ipvtap"));
            assert_has(&l, &s);
        }
    });
}

#[test]
fn gre_family() {
    in_netns("gre", |c| {
        let mut v4 = Settings::new();
        v4.set_str("local", "10.0.0.1")
            .set_str("remote", "10.0.0.2")
            .set_int("ttl", 64)
            .set_bool("pmtudisc", true)
            .set_int("ikey", 42)
            .set_int("okey", 0x0102_0304)
            .set_bool("iseq", true)
            .set_bool("ocsum", true);
        let mut v6 = Settings::new();
        v6.set_str("local", "2001:db8::1")
            .set_str("remote", "2001:db8::2")
            .set_int("ttl", 64)
            .set_int("encapLimit", 4)
            .set_int("flowlabel", 0x12345)
            .set_int("ikey", 7)
            .set_int("okey", 7);
        for (name, kind, s) in
            [("gre1", "gre", &v4), ("gretap1", "gretap", &v4), ("ip6gre1", "ip6gre", &v6), ("ip6gretap1", "ip6gretap", &v6)]
        {
            if !add_or_skip(c, &spec(name, kind, s)) {
                continue;
            }
            let l = get(c, name);
            assert_eq!(l.kind.as_deref(), Some(kind));
            assert_has(&l, s);
        }
    });
}

#[test]
fn ipip_and_sit() {
    in_netns("ipip", |c| {
        let mut s = Settings::new();
        s.set_str("local", "10.0.0.1").set_str("remote", "10.0.0.2").set_int("ttl", 64).set_bool("pmtudisc", true).set_str("mode", "ipip");
        if add_or_skip(c, &spec("ipip1", "ipip", &s)) {
            let l = get(c, "ipip1");
            assert_eq!(l.kind.as_deref(), Some("ipip"));
            assert_has(&l, &s);
        }
        s.set_str("mode", "ip6ip");
        if add_or_skip(c, &spec("sit1", "sit", &s)) {
            let l = get(c, "sit1");
            assert_eq!(l.kind.as_deref(), Some("sit"));
            assert_has(&l, &s);
        }
    });
}

// ---------------------------------------------------------------------------------------------
// tun/tap: made through /dev/net/tun, read and deleted through rtnetlink.

fn no_such_link(c: &Client, name: &str) -> bool {
    matches!(c.call(Request::get(link::get(&LinkRef::Name(name.into()))), None), Err(e) if e.errno == libc::ENODEV)
}

#[test]
fn tap_persistent() {
    in_netns("tap", |c| {
        let spec =
            TunSpec { name: "tap0".into(), mode: TunMode::Tap, persist: true, owner: Some(1000), group: Some(1001), ..Default::default() };
        let fd = match tun::create(&spec) {
            Ok(fd) => fd,
            Err(e) if e.errno == libc::ENOENT || e.errno == libc::ENODEV => {
                println!("skip: kind tun not available on this kernel ({e})");
                return;
            }
            Err(e) => panic!("tun::create: {e}"),
        };
        drop(fd); // persistent: the device stays
        let l = get(c, "tap0");
        assert_eq!(l.kind.as_deref(), Some("tun"));
        let mut want = Settings::new();
        want.set_str("mode", "tap")
            .set_bool("persist", true)
            .set_int("owner", 1000)
            .set_int("group", 1001)
            .set_bool("pi", false)
            .set_bool("multiQueue", false);
        assert_has(&l, &want);
        c.call(Request::ack(link::del(&LinkRef::Name("tap0".into()))), None).expect("link del tap0");
        assert!(no_such_link(c, "tap0"));
    });
}

#[test]
fn tun_follows_its_descriptor() {
    in_netns("tun", |c| {
        let ts = TunSpec { name: "tun0".into(), mode: TunMode::Tun, multi_queue: true, ..Default::default() };
        let fd = match tun::create(&ts) {
            Ok(fd) => fd,
            Err(e) if e.errno == libc::ENOENT || e.errno == libc::ENODEV => {
                println!("skip: kind tun not available on this kernel ({e})");
                return;
            }
            Err(e) => panic!("tun::create: {e}"),
        };
        let l = get(c, "tun0");
        assert_eq!(l.kind.as_deref(), Some("tun"));
        let mut want = Settings::new();
        want.set_str("mode", "tun").set_bool("persist", false).set_bool("multiQueue", true);
        assert_has(&l, &want);
        assert_eq!(l.info.as_ref().and_then(|i| i.get("owner")), None, "no owner set");
        drop(fd);
        assert!(no_such_link(c, "tun0"), "a non-persistent device goes with its last queue");
        // Through a namespace reference (a helper thread enters it): here, this thread's own
        // (the path is opened on this thread, before the helper starts).
        let ns = NetnsRef::Path("/proc/thread-self/ns/net".into());
        let fd = tun::create_in(Some(&ns), &TunSpec { name: "tap9".into(), mode: TunMode::Tap, ..Default::default() }).expect("create_in");
        assert_eq!(get(c, "tap9").info.and_then(|i| i.get("mode").cloned()), Some(Value::Str("tap".into())));
        drop(fd);
        // Not through RTM_NEWLINK.
        let e = link::add(&spec("tun1", "tun", &Settings::new())).err().expect("kind tun refused");
        assert!(e.contains("/dev/net/tun"), "{e}");
        // Invalid names never reach the kernel.
        let e = tun::create(&TunSpec { name: "bad/name".into(), ..Default::default() }).unwrap_err();
        assert_eq!(e.errno, libc::EINVAL);
    });
}
