/*
 * floor: the same workloads written directly on a NETLINK_ROUTE socket in C, as the floor the
 * libraries are compared against. No library, no validation beyond checking every ACK.
 *
 *   floor W1 n=10000 dev=veth0        N route adds, one at a time: send one, wait for its ACK
 *   floor W2 n=100000 batch=64        N route adds, `batch` messages per send(), then their ACKs
 *   floor W3 n=100000                 dump IPv4 routes of the main table into an array of structs
 *   floor W4 n=5000                   N /32 address adds on dev, one at a time
 *   floor W5 k=10                     dump every link into an array of structs, k times
 *   floor W6                          count RTM_NEWROUTE events (IPv4 route group) until told to stop
 *
 * Prints one JSON line. Route i is 10.16.0.0 + i, address i is 10.128.0.0 + i (as every tool).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef NETLINK_GET_STRICT_CHK
#define NETLINK_GET_STRICT_CHK 12
#endif

static int fd;
static uint32_t seq = 1;
static char rbuf[1 << 20];

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static long vmhwm_kb(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long kb = -1;
  while (f && fgets(line, sizeof line, f))
    if (!strncmp(line, "VmHWM:", 6)) kb = strtol(line + 6, NULL, 10);
  if (f) fclose(f);
  return kb;
}

static const char *arg(int argc, char **argv, const char *key, const char *def) {
  size_t n = strlen(key);
  for (int i = 2; i < argc; i++)
    if (!strncmp(argv[i], key, n) && argv[i][n] == '=') return argv[i] + n + 1;
  return def;
}

static void die(const char *what, int err) {
  fprintf(stderr, "floor: %s: %s\n", what, strerror(err));
  exit(1);
}

static void open_sock(int bufsize) {
  fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd < 0) die("socket", errno);
  if (bufsize > 0 && setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bufsize, sizeof bufsize) < 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bufsize, sizeof bufsize);
  int one = 1;
  setsockopt(fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK, &one, sizeof one);
  struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
  if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) die("bind", errno);
}

static void add_attr(struct nlmsghdr *h, int type, const void *data, int len) {
  struct rtattr *rta = (struct rtattr *)((char *)h + NLMSG_ALIGN(h->nlmsg_len));
  rta->rta_type = type;
  rta->rta_len = RTA_LENGTH(len);
  memcpy(RTA_DATA(rta), data, len);
  h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + RTA_ALIGN(rta->rta_len);
}

/* Writes RTM_NEWROUTE for route i at p; returns its length. */
static int build_route(char *p, uint32_t i, int oif) {
  struct nlmsghdr *h = (struct nlmsghdr *)p;
  memset(p, 0, 64);
  h->nlmsg_len = NLMSG_LENGTH(sizeof(struct rtmsg));
  h->nlmsg_type = RTM_NEWROUTE;
  h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
  h->nlmsg_seq = seq++;
  struct rtmsg *r = NLMSG_DATA(h);
  r->rtm_family = AF_INET;
  r->rtm_dst_len = 32;
  r->rtm_table = RT_TABLE_MAIN;
  r->rtm_protocol = RTPROT_BOOT;
  r->rtm_scope = RT_SCOPE_LINK;
  r->rtm_type = RTN_UNICAST;
  uint32_t dst = htonl(0x0a100000u + i);
  add_attr(h, RTA_DST, &dst, 4);
  add_attr(h, RTA_OIF, &oif, 4);
  return h->nlmsg_len;
}

static int build_addr(char *p, uint32_t i, int index) {
  struct nlmsghdr *h = (struct nlmsghdr *)p;
  memset(p, 0, 64);
  h->nlmsg_len = NLMSG_LENGTH(sizeof(struct ifaddrmsg));
  h->nlmsg_type = RTM_NEWADDR;
  h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
  h->nlmsg_seq = seq++;
  struct ifaddrmsg *a = NLMSG_DATA(h);
  a->ifa_family = AF_INET;
  a->ifa_prefixlen = 32;
  a->ifa_index = index;
  uint32_t ip = htonl(0x0a800000u + i);
  add_attr(h, IFA_LOCAL, &ip, 4);
  add_attr(h, IFA_ADDRESS, &ip, 4);
  return h->nlmsg_len;
}

/* Receives until `want` ACKs arrived; exits on the first error. */
static void wait_acks(int want) {
  while (want > 0) {
    ssize_t n = recv(fd, rbuf, sizeof rbuf, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      die("recv", errno);
    }
    for (struct nlmsghdr *h = (struct nlmsghdr *)rbuf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
      if (h->nlmsg_type != NLMSG_ERROR) continue;
      struct nlmsgerr *e = NLMSG_DATA(h);
      if (e->error) die("request", -e->error);
      want--;
    }
  }
}

struct route {
  uint8_t family, dst_len, table, protocol, scope, type;
  uint32_t table32, oif, priority;
  unsigned char dst[16], gateway[16], prefsrc[16];
};

struct link {
  int index, mtu;
  unsigned flags;
  char name[IFNAMSIZ];
  unsigned char addr[32];
  int addr_len;
};

static void *grow(void *p, size_t *cap, size_t len, size_t size) {
  if (len < *cap) return p;
  *cap = *cap ? *cap * 2 : 1024;
  p = realloc(p, *cap * size);
  if (!p) die("realloc", ENOMEM);
  return p;
}

/* Sends a dump request and parses every reply with cb until NLMSG_DONE. */
static void dump(int type, void *body, int body_len, void (*cb)(struct nlmsghdr *)) {
  char req[256] = {0};
  struct nlmsghdr *h = (struct nlmsghdr *)req;
  h->nlmsg_len = NLMSG_LENGTH(body_len);
  h->nlmsg_type = type;
  h->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  h->nlmsg_seq = seq++;
  memcpy(NLMSG_DATA(h), body, body_len);
  if (send(fd, req, h->nlmsg_len, 0) < 0) die("send", errno);
  for (;;) {
    ssize_t n = recv(fd, rbuf, sizeof rbuf, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      die("recv", errno);
    }
    for (struct nlmsghdr *m = (struct nlmsghdr *)rbuf; NLMSG_OK(m, n); m = NLMSG_NEXT(m, n)) {
      if (m->nlmsg_type == NLMSG_DONE) return;
      if (m->nlmsg_type == NLMSG_ERROR) {
        struct nlmsgerr *e = NLMSG_DATA(m);
        die("dump", -e->error);
      }
      cb(m);
    }
  }
}

static struct route *routes;
static size_t nroutes, caproutes;

static void on_route(struct nlmsghdr *m) {
  struct rtmsg *r = NLMSG_DATA(m);
  routes = grow(routes, &caproutes, nroutes, sizeof *routes);
  struct route *o = &routes[nroutes];
  memset(o, 0, sizeof *o);
  o->family = r->rtm_family, o->dst_len = r->rtm_dst_len, o->table = r->rtm_table;
  o->protocol = r->rtm_protocol, o->scope = r->rtm_scope, o->type = r->rtm_type;
  o->table32 = r->rtm_table;
  int len = RTM_PAYLOAD(m);
  for (struct rtattr *a = RTM_RTA(r); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
    int l = RTA_PAYLOAD(a);
    switch (a->rta_type) {
    case RTA_DST: if (l <= 16) memcpy(o->dst, RTA_DATA(a), l); break;
    case RTA_GATEWAY: if (l <= 16) memcpy(o->gateway, RTA_DATA(a), l); break;
    case RTA_PREFSRC: if (l <= 16) memcpy(o->prefsrc, RTA_DATA(a), l); break;
    case RTA_OIF: if (l == 4) memcpy(&o->oif, RTA_DATA(a), 4); break;
    case RTA_PRIORITY: if (l == 4) memcpy(&o->priority, RTA_DATA(a), 4); break;
    case RTA_TABLE: if (l == 4) memcpy(&o->table32, RTA_DATA(a), 4); break;
    }
  }
  if (o->table32 == RT_TABLE_MAIN) nroutes++;
}

static struct link *links;
static size_t nlinks, caplinks;

static void on_link(struct nlmsghdr *m) {
  struct ifinfomsg *i = NLMSG_DATA(m);
  links = grow(links, &caplinks, nlinks, sizeof *links);
  struct link *o = &links[nlinks++];
  memset(o, 0, sizeof *o);
  o->index = i->ifi_index, o->flags = i->ifi_flags;
  int len = IFLA_PAYLOAD(m);
  for (struct rtattr *a = IFLA_RTA(i); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
    int l = RTA_PAYLOAD(a);
    switch (a->rta_type) {
    case IFLA_IFNAME: snprintf(o->name, sizeof o->name, "%.*s", l, (char *)RTA_DATA(a)); break;
    case IFLA_MTU: if (l == 4) memcpy(&o->mtu, RTA_DATA(a), 4); break;
    case IFLA_ADDRESS: if (l <= 32) memcpy(o->addr, RTA_DATA(a), l), o->addr_len = l; break;
    }
  }
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: floor W1|W2|W3|W4|W5|W6 [n=N] [k=K] [batch=B] [dev=NAME]\n");
    return 2;
  }
  const char *w = argv[1];
  long n = atol(arg(argc, argv, "n", "10000"));
  const char *dev = arg(argc, argv, "dev", "veth0");
  int oif = if_nametoindex(dev);
  char *buf = malloc(64 * 1024);
  double t0, ms;

  if (!strcmp(w, "W1") || !strcmp(w, "W4")) {
    open_sock(0);
    if (!oif) die(dev, errno);
    int is_addr = !strcmp(w, "W4");
    t0 = now_ms();
    for (long i = 0; i < n; i++) {
      int len = is_addr ? build_addr(buf, i, oif) : build_route(buf, i, oif);
      if (send(fd, buf, len, 0) < 0) die("send", errno);
      wait_acks(1);
    }
    ms = now_ms() - t0;
    printf("{\"ms\":%.3f,\"n\":%ld,\"rssKb\":%ld}\n", ms, n, vmhwm_kb());
  } else if (!strcmp(w, "W2")) {
    int batch = atoi(arg(argc, argv, "batch", "64"));
    open_sock(0);
    if (!oif) die(dev, errno);
    t0 = now_ms();
    for (long i = 0; i < n; i += batch) {
      int len = 0, k = 0;
      for (; k < batch && i + k < n; k++) len += build_route(buf + len, i + k, oif);
      if (send(fd, buf, len, 0) < 0) die("send", errno);
      wait_acks(k);
    }
    ms = now_ms() - t0;
    printf("{\"ms\":%.3f,\"n\":%ld,\"rssKb\":%ld}\n", ms, n, vmhwm_kb());
  } else if (!strcmp(w, "W3")) {
    open_sock(0);
    struct rtmsg r = {.rtm_family = AF_INET};
    t0 = now_ms();
    dump(RTM_GETROUTE, &r, sizeof r, on_route);
    ms = now_ms() - t0;
    printf("{\"ms\":%.3f,\"n\":%zu,\"rssKb\":%ld}\n", ms, nroutes, vmhwm_kb());
  } else if (!strcmp(w, "W5")) {
    int k = atoi(arg(argc, argv, "k", "10"));
    open_sock(0);
    struct ifinfomsg i = {.ifi_family = AF_UNSPEC};
    t0 = now_ms();
    for (int j = 0; j < k; j++) {
      nlinks = 0;
      dump(RTM_GETLINK, &i, sizeof i, on_link);
    }
    ms = (now_ms() - t0) / k;
    printf("{\"ms\":%.3f,\"n\":%zu,\"k\":%d,\"rssKb\":%ld}\n", ms, nlinks, k, vmhwm_kb());
  } else if (!strcmp(w, "W6")) {
    int quiet = atoi(arg(argc, argv, "quiet", "1000"));
    open_sock(atoi(arg(argc, argv, "rcvbuf", "0")));
    int g = RTNLGRP_IPV4_ROUTE;
    if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &g, sizeof g) < 0) die("membership", errno);
    long events = 0, overflows = 0, target = n;
    int done = 0;
    printf("READY %d\n", getpid());
    fflush(stdout);
    struct pollfd p[2] = {{.fd = fd, .events = POLLIN}, {.fd = 0, .events = POLLIN}};
    for (;;) {
      int r = poll(p, done ? 1 : 2, done ? quiet : -1);
      if (r < 0 && errno == EINTR) continue;
      if (r == 0) break; /* quiet for `quiet` ms after the burst: finished */
      if (!done && (p[1].revents & (POLLIN | POLLHUP))) {
        char c[64];
        if (read(0, c, sizeof c) <= 0 || c[0] == 'd') done = 1;
      }
      if (p[0].revents & POLLIN) {
        ssize_t len = recv(fd, rbuf, sizeof rbuf, MSG_DONTWAIT);
        if (len < 0) {
          if (errno == ENOBUFS) overflows++;
          continue;
        }
        for (struct nlmsghdr *m = (struct nlmsghdr *)rbuf; NLMSG_OK(m, len); m = NLMSG_NEXT(m, len))
          if (m->nlmsg_type == RTM_NEWROUTE) events++;
      }
      if (done && events >= target) break;
    }
    printf("{\"events\":%ld,\"overflows\":%ld,\"rssKb\":%ld}\n", events, overflows, vmhwm_kb());
    fflush(stdout);
    char c[64];
    while (read(0, c, sizeof c) > 0) {} /* exit when the driver closes stdin */
  } else {
    fprintf(stderr, "floor: unknown workload %s\n", w);
    return 2;
  }
  return 0;
}
