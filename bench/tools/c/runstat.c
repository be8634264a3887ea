/* runstat OUT CMD ARGS...: runs CMD, then writes {"wallMs","maxRssKb","userMs","sysMs","status"} to OUT
 * (wait4 rusage of the child alone: peak RSS and CPU of exactly the measured process). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

static pid_t child;
static void fwd(int sig) { if (child > 0) kill(child, sig); }

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: runstat OUT CMD [ARGS...]\n"); return 2; }
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  child = fork();
  if (child < 0) { perror("fork"); return 2; }
  if (child == 0) { execvp(argv[2], argv + 2); perror(argv[2]); _exit(127); }
  signal(SIGTERM, fwd); signal(SIGINT, fwd);
  int st = 0; struct rusage ru;
  while (wait4(child, &st, 0, &ru) < 0) {}
  clock_gettime(CLOCK_MONOTONIC, &b);
  double wall = (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6;
  FILE *f = fopen(argv[1], "w");
  if (!f) { perror(argv[1]); return 2; }
  fprintf(f, "{\"wallMs\":%.3f,\"maxRssKb\":%ld,\"userMs\":%.3f,\"sysMs\":%.3f,\"exit\":%d,\"signal\":%d}\n", wall, ru.ru_maxrss,
          ru.ru_utime.tv_sec * 1e3 + ru.ru_utime.tv_usec / 1e3, ru.ru_stime.tv_sec * 1e3 + ru.ru_stime.tv_usec / 1e3,
          WIFEXITED(st) ? WEXITSTATUS(st) : -1, WIFSIGNALED(st) ? WTERMSIG(st) : 0);
  fclose(f);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
