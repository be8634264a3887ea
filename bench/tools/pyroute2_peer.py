"""The workloads on pyroute2, as a Python program would write them (IPRoute, link looked up once).

  python pyroute2_peer.py W1 n=10000 dev=veth0   N route('add') calls, one at a time
  python pyroute2_peer.py W2 n=100000 window=128 N route adds on AsyncIPRoute, `window` in flight
  python pyroute2_peer.py W3                     get_routes(family=AF_INET, table=254) into a list
  python pyroute2_peer.py W4 n=5000              N addr('add') calls, one at a time
  python pyroute2_peer.py W5 k=10                get_links(), k times
  python pyroute2_peer.py W6 n=100000            IPRoute().bind(); get() in a loop, count RTM_NEWROUTE
  python pyroute2_peer.py W7 n=10000             N tc('add-filter', 'u32', ...) calls, one at a time
  python pyroute2_peer.py W8                     get_filters(index, parent=1:) into a list

Prints one JSON line. Route i is 10.16.0.0 + i, address i is 10.128.0.0 + i.
"""
import asyncio
import json
import os
import socket
import sys
import threading
import time

from pyroute2 import IPRoute

ROUTE_BASE = 0x0A100000
ADDR_BASE = 0x0A800000
RT_SCOPE_LINK = 253


def ip4(base, i):
    return socket.inet_ntoa((base + i).to_bytes(4, 'big'))


def vmhwm():
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith('VmHWM:'):
                return int(line.split()[1])
    return -1


def out(**kw):
    kw['rssKb'] = vmhwm()
    sys.stdout.write(json.dumps(kw) + '\n')
    sys.stdout.flush()


def main():
    w = sys.argv[1]
    a = dict(kv.split('=', 1) for kv in sys.argv[2:] if '=' in kv)
    n = int(a.get('n', 10000))
    dev = a.get('dev', 'veth0')

    if w == 'W2':
        from pyroute2 import AsyncIPRoute

        window = int(a.get('window', 128))

        async def run():
            async with AsyncIPRoute() as ipr:
                idx = (await ipr.link_lookup(ifname=dev))[0]
                nxt = 0

                async def lane():
                    nonlocal nxt
                    while nxt < n:
                        i = nxt
                        nxt += 1
                        await ipr.route('add', dst=f'{ip4(ROUTE_BASE, i)}/32', oif=idx, scope=RT_SCOPE_LINK)

                t = time.perf_counter()
                await asyncio.gather(*(lane() for _ in range(min(window, n))))
                return (time.perf_counter() - t) * 1e3

        ms = asyncio.run(run())
        return out(ms=ms, n=n, window=window)

    ipr = IPRoute()
    if w in ('W1', 'W4'):
        idx = ipr.link_lookup(ifname=dev)[0]
        t = time.perf_counter()
        if w == 'W1':
            for i in range(n):
                ipr.route('add', dst=f'{ip4(ROUTE_BASE, i)}/32', oif=idx, scope=RT_SCOPE_LINK)
        else:
            for i in range(n):
                ipr.addr('add', index=idx, address=ip4(ADDR_BASE, i), prefixlen=32)
        return out(ms=(time.perf_counter() - t) * 1e3, n=n)
    if w == 'W3':
        t = time.perf_counter()
        routes = [r for r in ipr.get_routes(family=socket.AF_INET, table=254)]
        for r in routes:  # make sure every message is decoded, as the other tools' objects are
            r.get('dst')
        return out(ms=(time.perf_counter() - t) * 1e3, n=len(routes))
    if w == 'W7':
        idx = ipr.link_lookup(ifname=dev)[0]
        t = time.perf_counter()
        for i in range(n):
            key = f'0x{ROUTE_BASE + i:08x}/0xffffffff+16'  # IPv4 destination, as tc's `match ip dst`
            ipr.tc('add-filter', 'u32', idx, parent=0x10000, prio=1 + i // 1000, protocol=0x0800, target=0x10010, keys=[key])
        return out(ms=(time.perf_counter() - t) * 1e3, n=n)
    if w == 'W8':
        idx = ipr.link_lookup(ifname=dev)[0]
        t = time.perf_counter()
        filters = list(ipr.get_filters(index=idx, parent=0x10000))
        for f in filters:
            f.get('kind')
        return out(ms=(time.perf_counter() - t) * 1e3, n=len(filters))
    if w == 'W5':
        k = int(a.get('k', 10))
        t = time.perf_counter()
        for _ in range(k):
            links = list(ipr.get_links())
        return out(ms=(time.perf_counter() - t) * 1e3 / k, n=len(links), k=k)
    if w == 'W6':
        quiet = int(a.get('quiet', 1000)) / 1e3
        ipr.close()
        state = {'events': 0, 'errors': 0, 'ended': False}
        bound = threading.Event()

        def reader():
            # pyroute2's synchronous IPRoute runs its own asyncio loop in the thread that made it.
            sub = IPRoute()
            sub.bind()  # default groups: links, addresses, routes, ...
            bound.set()
            in_a_row = 0
            while True:
                try:
                    for m in sub.get():
                        if m.get('event') == 'RTM_NEWROUTE' and m.get('family') == socket.AF_INET:
                            state['events'] += 1
                    in_a_row = 0
                except OSError:  # ENOBUFS: pyroute2 0.9 then raises it on every later get()
                    state['errors'] += 1
                    in_a_row += 1
                    if in_a_row >= 100:
                        state['ended'] = True
                        return

        threading.Thread(target=reader, daemon=True).start()
        bound.wait()
        print(f'READY {os.getpid()}', flush=True)
        sys.stdin.readline()
        last, last_change = -1, time.monotonic()
        while True:
            c = state['events']
            if c != last:
                last, last_change = c, time.monotonic()
            if c >= n or time.monotonic() - last_change > quiet:
                break
            time.sleep(0.05)
        out(events=state['events'], overflows=state['errors'], ended=state['ended'])
        sys.stdin.read()
        os._exit(0)
    raise SystemExit(f'unknown workload {w}')


if __name__ == '__main__':
    main()
