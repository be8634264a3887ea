// nlbench-go: the benchmark workloads on github.com/vishvananda/netlink, as a Go program would
// write them (a Handle, link looked up once, netlink.Route / netlink.Addr values).
//
//	nlbench-go W1 n=10000 dev=veth0   N route adds, one at a time
//	nlbench-go W2 n=100000 g=2        N route adds from g goroutines (each with its own Handle)
//	nlbench-go W3                     RouteListFiltered(IPv4, table main)
//	nlbench-go W4 n=5000              N /32 address adds, one at a time
//	nlbench-go W5 k=10                LinkList, k times
//	nlbench-go W6                     RouteSubscribe; count updates until told to stop
//	nlbench-go W7 n=10000 [g=2]       N u32 FilterAdd calls, one at a time (or from g goroutines)
//	nlbench-go W8                     FilterList(veth0, 1:)
//
// Prints one JSON line. Route i is 10.16.0.0 + i, address i is 10.128.0.0 + i.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vishvananda/netlink"
)

func arg(key, def string) string {
	for _, a := range os.Args[2:] {
		if strings.HasPrefix(a, key+"=") {
			return a[len(key)+1:]
		}
	}
	return def
}

func argInt(key string, def int) int {
	v, err := strconv.Atoi(arg(key, strconv.Itoa(def)))
	if err != nil {
		fail(err)
	}
	return v
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "nlbench-go:", err)
	os.Exit(1)
}

func ip4(base uint32, i int) net.IP {
	v := base + uint32(i)
	return net.IPv4(byte(v>>24), byte(v>>16), byte(v>>8), byte(v)).To4()
}

func host(base uint32, i int) *net.IPNet {
	return &net.IPNet{IP: ip4(base, i), Mask: net.CIDRMask(32, 32)}
}

func vmhwm() int {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			n, _ := strconv.Atoi(strings.Fields(l)[1])
			return n
		}
	}
	return -1
}

func out(m map[string]any) {
	m["rssKb"] = vmhwm()
	b, _ := json.Marshal(m)
	fmt.Println(string(b))
}

func ms(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e6 }

func route(idx, i int) *netlink.Route {
	return &netlink.Route{LinkIndex: idx, Dst: host(0x0a100000, i), Scope: netlink.SCOPE_LINK}
}

// u32 filter i: IPv4 destination 10.16.0.0 + i (tc's `match ip dst X/32`: the word at offset 16),
// flowid 1:10, in prio 1 + i/1000 (a u32 hash table holds at most 4095 rules).
func u32(idx, i int) *netlink.U32 {
	return &netlink.U32{
		FilterAttrs: netlink.FilterAttrs{LinkIndex: idx, Parent: netlink.MakeHandle(1, 0), Priority: uint16(1 + i/1000), Protocol: 0x0800},
		ClassId:     netlink.MakeHandle(1, 0x10),
		Sel: &netlink.TcU32Sel{
			Flags: 1, // TC_U32_TERMINAL, as tc sets it with a flowid
			Keys:  []netlink.TcU32Key{{Mask: 0xffffffff, Val: 0x0a100000 + uint32(i), Off: 16}},
		},
	}
}

// fanOut runs op for i in [0, n), goroutine j (with handles[j]) taking every len(handles)-th i;
// the first error fails the run. Returns the time it all took.
func fanOut(handles []*netlink.Handle, n int, op func(h *netlink.Handle, i int) error) time.Duration {
	g := len(handles)
	var wg sync.WaitGroup
	errs := make(chan error, g)
	t := time.Now()
	for j := 0; j < g; j++ {
		wg.Add(1)
		go func(j int) {
			defer wg.Done()
			for i := j; i < n; i += g {
				if err := op(handles[j], i); err != nil {
					errs <- err
					return
				}
			}
		}(j)
	}
	wg.Wait()
	d := time.Since(t)
	select {
	case err := <-errs:
		fail(err)
	default:
	}
	return d
}

func main() {
	if len(os.Args) < 2 {
		fail(fmt.Errorf("usage: nlbench-go W1|W2|W3|W4|W5|W6 [n=N] [k=K] [g=G] [dev=NAME]"))
	}
	w := os.Args[1]
	n := argInt("n", 10000)
	h, err := netlink.NewHandle()
	if err != nil {
		fail(err)
	}
	var link netlink.Link
	if w == "W1" || w == "W2" || w == "W4" || w == "W7" || w == "W8" {
		if link, err = h.LinkByName(arg("dev", "veth0")); err != nil {
			fail(err)
		}
	}
	switch w {
	case "W1":
		idx := link.Attrs().Index
		t := time.Now()
		for i := 0; i < n; i++ {
			if err := h.RouteAdd(route(idx, i)); err != nil {
				fail(err)
			}
		}
		out(map[string]any{"ms": ms(time.Since(t)), "n": n})
	case "W2":
		idx := link.Attrs().Index
		g := argInt("g", 2)
		handles := make([]*netlink.Handle, g)
		for j := range handles {
			if handles[j], err = netlink.NewHandle(); err != nil {
				fail(err)
			}
		}
		d := fanOut(handles, n, func(h *netlink.Handle, i int) error { return h.RouteAdd(route(idx, i)) })
		out(map[string]any{"ms": ms(d), "n": n, "goroutines": g})
	case "W3":
		t := time.Now()
		rs, err := h.RouteListFiltered(netlink.FAMILY_V4, &netlink.Route{Table: 254}, netlink.RT_FILTER_TABLE)
		if err != nil {
			fail(err)
		}
		out(map[string]any{"ms": ms(time.Since(t)), "n": len(rs)})
	case "W4":
		t := time.Now()
		for i := 0; i < n; i++ {
			if err := h.AddrAdd(link, &netlink.Addr{IPNet: host(0x0a800000, i)}); err != nil {
				fail(err)
			}
		}
		out(map[string]any{"ms": ms(time.Since(t)), "n": n})
	case "W5":
		k := argInt("k", 10)
		var ls []netlink.Link
		t := time.Now()
		for j := 0; j < k; j++ {
			if ls, err = h.LinkList(); err != nil {
				fail(err)
			}
		}
		out(map[string]any{"ms": ms(time.Since(t)) / float64(k), "n": len(ls), "k": k})
	case "W6":
		quiet := time.Duration(argInt("quiet", 1000)) * time.Millisecond
		ch := make(chan netlink.RouteUpdate, 1024)
		done := make(chan struct{})
		subErrors := 0
		var mu sync.Mutex
		opts := netlink.RouteSubscribeOptions{ErrorCallback: func(error) { mu.Lock(); subErrors++; mu.Unlock() }}
		if err := netlink.RouteSubscribeWithOptions(ch, done, opts); err != nil {
			fail(err)
		}
		stop := make(chan struct{})
		in := bufio.NewReader(os.Stdin)
		go func() { in.ReadString('\n'); close(stop) }()
		fmt.Printf("READY %d\n", os.Getpid())
		events, closed, stopped := 0, false, false
		last := time.Now()
		tick := time.NewTicker(50 * time.Millisecond)
	loop:
		for {
			select {
			case u, ok := <-ch:
				if !ok {
					closed = true // the library ends the subscription on a receive error (ENOBUFS)
					ch = nil
					continue
				}
				if u.Type == 24 /* RTM_NEWROUTE */ {
					events++
				}
				last = time.Now()
			case <-stop:
				stop = nil
				stopped = true
			case <-tick.C:
			}
			if stopped && (closed || events >= n || time.Since(last) > quiet) {
				break loop
			}
		}
		tick.Stop()
		mu.Lock()
		e := subErrors
		mu.Unlock()
		out(map[string]any{"events": events, "overflows": e, "ended": closed})
		in.ReadString('\n') // exit when the driver closes stdin
	case "W7":
		idx := link.Attrs().Index
		g := argInt("g", 1)
		handles := []*netlink.Handle{h}
		for len(handles) < g {
			hh, err := netlink.NewHandle()
			if err != nil {
				fail(err)
			}
			handles = append(handles, hh)
		}
		d := fanOut(handles, n, func(h *netlink.Handle, i int) error { return h.FilterAdd(u32(idx, i)) })
		out(map[string]any{"ms": ms(d), "n": n, "goroutines": g})
	case "W8":
		t := time.Now()
		fs, err := h.FilterList(link, netlink.MakeHandle(1, 0))
		if err != nil {
			fail(err)
		}
		out(map[string]any{"ms": ms(time.Since(t)), "n": len(fs)})
	default:
		fail(fmt.Errorf("unknown workload %s", w))
	}
}
