use nlkit::rtnl::{self, link, LinkRef};
use nlkit::{Client, Options, Request};

fn main() {
    nlkit::sys::unshare_netns_thread().unwrap();
    let c = Client::open(Options::default()).unwrap();
    println!("{:?}", c.call(Request::ack(link::set_up(&LinkRef::Name("lo".into()), true)), None));
    println!("{:?}", c.call(Request::ack(link::add_veth("v0", "v1")), None));
    println!("{:?}", c.call(Request::ack(link::add_veth("v0", "v1")), None));
    let links = c.call(Request::dump(link::dump(), Default::default()), None).unwrap();
    for l in &links {
        println!("{:?}", l);
    }
    println!("{:?}", c.call(Request::get(link::get(&LinkRef::Name("nope".into()))), None));
    let r =
        c.call(Request::dump(rtnl::route::dump(0, None, None), rtnl::Filter { skip_cloned: true, ..Default::default() }), None).unwrap();
    for x in &r {
        println!("{:?}", x);
    }
}
