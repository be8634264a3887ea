// Loads a .node in a musl process the way Node would (RTLD_NOW: every libc symbol it needs must
// resolve against musl) and checks that napi_register_module_v1 is there. The napi_* functions
// Node would provide come from stubs generated next to this file (napi-stubs.c), exported with
// -rdynamic.
#include <dlfcn.h>
#include <stdio.h>

int main(int argc, char **argv) {
  if (argc != 2) return 2;
  void *h = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    fprintf(stderr, "dlopen: %s\n", dlerror());
    return 1;
  }
  if (!dlsym(h, "napi_register_module_v1")) {
    fprintf(stderr, "dlsym: %s\n", dlerror());
    return 1;
  }
  printf("loaded %s\n", argv[1]);
  return 0;
}
