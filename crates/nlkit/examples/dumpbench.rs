use nlkit::rtnl::{self, link, route, LinkRef};
use nlkit::{Client, Options, Request};
use std::time::Instant;
fn main() {
    nlkit::sys::unshare_netns_thread().unwrap();
    let c = Client::open(Options::default()).unwrap();
    c.call(Request::ack(link::add_veth("v0", "v1")), None).unwrap();
    c.call(Request::ack(link::set_up(&LinkRef::Name("v0".into()), true)), None).unwrap();
    let idx = match &c.call(Request::get(link::get(&LinkRef::Name("v0".into()))), None).unwrap()[0] { rtnl::Object::Link(l) => l.index as u32, _ => 0 };
    let n = 100_000u32;
    let t = Instant::now();
    let reqs: Vec<_> = (0..n).map(|i| Request::ack(route::encode(&rtnl::RouteSpec { family: 2, dst: Some(std::net::IpAddr::V4((0x0a000000 + i).into())), dst_len: 32, oif: Some(idx), table: Some(100), ..Default::default() }, rtnl::RouteOp::Add))).collect();
    for r in c.call_many(reqs, None) { r.unwrap(); }
    println!("add {n}: {:?} ({:.0}/s)", t.elapsed(), n as f64 / t.elapsed().as_secs_f64());
    for _ in 0..3 {
        let t = Instant::now();
        let r = c.call(Request::dump(route::dump(2, Some(100), None), rtnl::Filter { table: Some(100), ..Default::default() }), None).unwrap();
        println!("dump {}: {:?}", r.len(), t.elapsed());
    }
}
