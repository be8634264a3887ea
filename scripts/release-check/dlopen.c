// Loads a .node in a musl process the way Node would (RTLD_NOW: every libc symbol it needs must
// resolve against the system's musl) and checks that napi_register_module_v1 is there. The
// napi_* functions Node would provide come from stubs generated beside it (napi-stubs.c),
// exported with -rdynamic. Only write(): zig's stdio would need statx, which Debian's musl
// 1.2.3 lacks (the .node itself does not use it).
#include <dlfcn.h>
#include <string.h>
#include <unistd.h>

static void say(const char *a, const char *b) {
  write(2, a, strlen(a));
  write(2, b, strlen(b));
  write(2, "\n", 1);
}

int main(int argc, char **argv) {
  if (argc != 2) return 2;
  void *h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    say("dlopen: ", dlerror());
    return 1;
  }
  if (!dlsym(h, "napi_register_module_v1")) {
    say("dlsym: ", dlerror());
    return 1;
  }
  say("loaded ", argv[1]);
  return 0;
}
