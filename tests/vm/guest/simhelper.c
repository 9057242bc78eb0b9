/*
 * simhelper: the "hardware" around the app inside the test VM. Static, busybox-sized.
 *
 *   simhelper rc TAG CHIPDEV SIMLINE OFFSET DELAY_US...
 *       Emulates the RC capacitor on a gpio-sim line for the chardev backend: watches the
 *       line's info changes (GPIO_V2_GET_LINEINFO_WATCH_IOCTL); each time the app switches
 *       the held line to input (a CONFIG change), raise the line through gpio-sim's `pull`
 *       attribute DELAY_US later (next delay each time); pull it down again when the app
 *       drives the line or releases it.
 *   simhelper rc-sysfs TAG GPIODIR SIMLINE DELAY_US...
 *       The same for the sysfs backend, which does not report config changes: polls
 *       GPIODIR/direction every 100 us.
 *   simhelper watch TAG SIMCHIP OFFSET...
 *       Samples SIMCHIP/sim_gpioN/value every 500 us, prints every distinct state.
 *   simhelper toggle TAG SEEN_FILE SIMLINE COUNT INTERVAL_US
 *       Pulls the line up and down alternately COUNT times, stamping each write before and
 *       after: the kernel's timestamp of each edge must fall between the two. Edge i comes
 *       INTERVAL_US after SEEN_FILE (written by the edge probe) says i events arrived.
 *   simhelper hold CHIPDEV OFFSET CONSUMER
 *       Holds a line as another process would, until killed.
 *   simhelper runas UID GID GROUPS(comma list or -) CMD ARGS...
 *       Drops root and execs CMD.
 *
 * Results are printed as "RESULT {json}" lines, one write() each; timestamps are
 * CLOCK_MONOTONIC ns, the clock of the kernel's GPIO event timestamps.
 *
 * The commands that play hardware (rc, rc-sysfs, watch, toggle) run SCHED_FIFO: a capacitor
 * or a probe on a pin is never late, and under emulation the app's Node threads otherwise
 * keep both vCPUs busy long enough to delay a wake-up by tens of ms.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/gpio.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop;
static void on_signal(int s) { (void)s; stop = 1; }

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void die(const char *what) {
  fprintf(stderr, "simhelper: %s: %s\n", what, strerror(errno));
  exit(2);
}

/* Real-time priority above every normal task (the kernel's RT throttling still leaves them 5 %). */
static void realtime(void) {
  struct sched_param sp = {.sched_priority = 50};
  if (sched_setscheduler(0, SCHED_FIFO, &sp) < 0) die("sched_setscheduler(SCHED_FIFO)");
}

static void result(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void result(const char *fmt, ...) {
  char buf[1024];
  va_list ap;
  int n = snprintf(buf, sizeof buf, "RESULT ");
  va_start(ap, fmt);
  n += vsnprintf(buf + n, sizeof buf - (size_t)n - 1, fmt, ap);
  va_end(ap);
  buf[n++] = '\n';
  if (write(1, buf, (size_t)n) < 0) { /* nothing useful to do */ }
}

static void write_file(const char *path, const char *text) {
  int fd = open(path, O_WRONLY);
  if (fd < 0) die(path);
  if (write(fd, text, strlen(text)) < 0) die(path);
  close(fd);
}

/* Reads a small sysfs file; returns its first character, or 0 if absent. */
static char read_first(const char *path) {
  char c = 0;
  int fd = open(path, O_RDONLY);
  if (fd < 0) return 0;
  if (read(fd, &c, 1) != 1) c = 0;
  close(fd);
  return c;
}

static void sleep_ns(uint64_t ns) {
  struct timespec ts = {.tv_sec = (time_t)(ns / 1000000000u), .tv_nsec = (long)(ns % 1000000000u)};
  nanosleep(&ts, NULL);
}

static void sleep_until(uint64_t deadline) {
  struct timespec ts = {.tv_sec = (time_t)(deadline / 1000000000u), .tv_nsec = (long)(deadline % 1000000000u)};
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR && !stop) {}
}

/* Raise the line and report: the charge "ends" between before and after. */
static void fire(const char *tag, const char *mode, int i, uint64_t delay_ns, uint64_t input_ns, const char *pull) {
  uint64_t before = now_ns();
  write_file(pull, "pull-up");
  uint64_t after = now_ns();
  result("{\"scenario\":\"%s\",\"mode\":\"%s\",\"i\":%d,\"delayNs\":%llu,\"inputNs\":%llu,\"pullBeforeNs\":%llu,\"pullAfterNs\":%llu}",
         tag, mode, i, (unsigned long long)delay_ns, (unsigned long long)input_ns, (unsigned long long)before,
         (unsigned long long)after);
}

static int cmd_rc(int argc, char **argv) {
  if (argc < 6) return 2;
  const char *tag = argv[1], *chipdev = argv[2], *simline = argv[3];
  unsigned offset = (unsigned)atoi(argv[4]);
  int n = argc - 5, i = 0;
  char pull[512];
  snprintf(pull, sizeof pull, "%s/pull", simline);

  int fd = open(chipdev, O_RDWR | O_CLOEXEC);
  if (fd < 0) die(chipdev);
  struct gpio_v2_line_info info;
  memset(&info, 0, sizeof info);
  info.offset = offset;
  if (ioctl(fd, GPIO_V2_GET_LINEINFO_WATCH_IOCTL, &info) < 0) die("GPIO_V2_GET_LINEINFO_WATCH_IOCTL");
  write_file(pull, "pull-down");
  result("{\"scenario\":\"%s\",\"ready\":true}", tag);

  int armed = 0;
  uint64_t deadline = 0, input_ns = 0, delay_ns = 0;
  while (!stop) {
    struct pollfd p = {.fd = fd, .events = POLLIN};
    int timeout_ms = -1;
    if (armed) {
      uint64_t now = now_ns();
      /* Poll until ~1 ms before the deadline, then sleep to it precisely. */
      timeout_ms = deadline > now + 1500000u ? (int)((deadline - now - 1000000u) / 1000000u) : 0;
    }
    int r = poll(&p, 1, timeout_ms);
    if (r < 0) {
      if (errno == EINTR) continue;
      die("poll");
    }
    if (r == 0 && armed) {
      if (deadline > now_ns() + 1500000u) continue;
      sleep_until(deadline);
      fire(tag, "chardev", i, delay_ns, input_ns, pull);
      armed = 0;
      i++;
      continue;
    }
    struct gpio_v2_line_info_changed ch;
    if (read(fd, &ch, sizeof ch) != (ssize_t)sizeof ch) continue;
    if (ch.event_type == GPIO_V2_LINE_CHANGED_CONFIG && (ch.info.flags & GPIO_V2_LINE_FLAG_INPUT)) {
      if (i < n) {
        armed = 1;
        input_ns = ch.timestamp_ns;
        delay_ns = (uint64_t)strtoull(argv[5 + i], NULL, 10) * 1000u;
        deadline = input_ns + delay_ns;
      }
    } else {
      /* Driven, requested or released: discharge, and forget a pending rise. */
      armed = 0;
      write_file(pull, "pull-down");
    }
  }
  return 0;
}

static int cmd_rc_sysfs(int argc, char **argv) {
  if (argc < 5) return 2;
  const char *tag = argv[1], *gpiodir = argv[2], *simline = argv[3];
  int n = argc - 4, i = 0;
  char pull[512], direction[512];
  snprintf(pull, sizeof pull, "%s/pull", simline);
  snprintf(direction, sizeof direction, "%s/direction", gpiodir);
  write_file(pull, "pull-down");
  result("{\"scenario\":\"%s\",\"ready\":true}", tag);
  char last = 0;
  int armed = 0;
  uint64_t deadline = 0, input_ns = 0, delay_ns = 0;
  while (!stop) {
    char d = read_first(direction); /* 'i'n, 'o'ut, or 0 while not exported */
    uint64_t now = now_ns();
    if (d != last) {
      /* Only a switch from driving (discharge) to input starts a charge; the input state
       * of a freshly exported line does not. */
      if (d == 'i' && last == 'o' && i < n) {
        armed = 1;
        input_ns = now;
        delay_ns = (uint64_t)strtoull(argv[4 + i], NULL, 10) * 1000u;
        deadline = input_ns + delay_ns;
      } else if (d != 'i') {
        armed = 0;
        write_file(pull, "pull-down");
      }
      last = d;
    }
    if (armed && now + 200000u >= deadline) {
      sleep_until(deadline);
      fire(tag, "sysfs", i, delay_ns, input_ns, pull);
      armed = 0;
      i++;
    }
    sleep_ns(100000u);
  }
  return 0;
}

static int cmd_watch(int argc, char **argv) {
  if (argc < 4) return 2;
  const char *tag = argv[1], *simchip = argv[2];
  int n = argc - 3;
  char paths[8][512];
  if (n > 8) n = 8;
  for (int k = 0; k < n; k++) snprintf(paths[k], sizeof paths[k], "%s/sim_gpio%s/value", simchip, argv[3 + k]);
  char last[9] = "", cur[9];
  while (!stop) {
    for (int k = 0; k < n; k++) cur[k] = read_first(paths[k]);
    cur[n] = 0;
    if (strcmp(cur, last) != 0) {
      result("{\"scenario\":\"%s\",\"tNs\":%llu,\"values\":\"%s\"}", tag, (unsigned long long)now_ns(), cur);
      memcpy(last, cur, sizeof cur);
    }
    sleep_ns(500000u);
  }
  return 0;
}

/* The number in a small file the probe rewrites, or -1 while it is absent or mid-write. */
static long read_count(const char *path) {
  char buf[32];
  int fd = open(path, O_RDONLY);
  if (fd < 0) return -1;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return -1;
  buf[n] = 0;
  char *end;
  long v = strtol(buf, &end, 10);
  return end == buf ? -1 : v;
}

static int cmd_toggle(int argc, char **argv) {
  if (argc < 6) return 2;
  const char *tag = argv[1], *seen = argv[2], *simline = argv[3];
  int n = atoi(argv[4]);
  uint64_t interval_ns = (uint64_t)strtoull(argv[5], NULL, 10) * 1000u;
  char pull[512];
  snprintf(pull, sizeof pull, "%s/pull", simline);
  write_file(pull, "pull-down");
  for (int i = 0; i < n && !stop; i++) {
    /* Edge i only once JavaScript has seen edge i-1 (the probe counts them in SEEN): two edges
     * closer together than the kernel's interrupt thread runs would be one event. */
    uint64_t give_up = now_ns() + 60000000000ull;
    while (read_count(seen) < i) {
      if (stop || now_ns() > give_up) {
        result("{\"scenario\":\"%s\",\"error\":\"waited 60 s for the probe to report %d events in %s\"}", tag, i, seen);
        return 1;
      }
      sleep_ns(1000000u);
    }
    sleep_ns(interval_ns);
    const char *to = i % 2 == 0 ? "pull-up" : "pull-down";
    uint64_t before = now_ns();
    write_file(pull, to);
    uint64_t after = now_ns();
    result("{\"scenario\":\"%s\",\"i\":%d,\"pull\":\"%s\",\"beforeNs\":%llu,\"afterNs\":%llu}", tag, i, to,
           (unsigned long long)before, (unsigned long long)after);
  }
  return 0;
}

static int cmd_hold(int argc, char **argv) {
  if (argc < 4) return 2;
  int fd = open(argv[1], O_RDWR | O_CLOEXEC);
  if (fd < 0) die(argv[1]);
  struct gpio_v2_line_request req;
  memset(&req, 0, sizeof req);
  req.offsets[0] = (unsigned)atoi(argv[2]);
  req.num_lines = 1;
  strncpy(req.consumer, argv[3], sizeof req.consumer - 1);
  req.config.flags = GPIO_V2_LINE_FLAG_INPUT;
  if (ioctl(fd, GPIO_V2_GET_LINE_IOCTL, &req) < 0) die("GPIO_V2_GET_LINE_IOCTL");
  fprintf(stderr, "simhelper: holding line %s of %s as \"%s\"\n", argv[2], argv[1], argv[3]);
  while (!stop) pause();
  return 0;
}

static int cmd_runas(int argc, char **argv) {
  if (argc < 5) return 2;
  uid_t uid = (uid_t)atoi(argv[1]);
  gid_t gid = (gid_t)atoi(argv[2]);
  gid_t groups[16];
  int ng = 0;
  if (strcmp(argv[3], "-") != 0) {
    for (char *s = strtok(argv[3], ","); s && ng < 16; s = strtok(NULL, ",")) groups[ng++] = (gid_t)atoi(s);
  }
  if (setgroups((size_t)ng, groups) < 0) die("setgroups");
  if (setgid(gid) < 0) die("setgid");
  if (setuid(uid) < 0) die("setuid");
  execvp(argv[4], argv + 4);
  die(argv[4]);
  return 2;
}

int main(int argc, char **argv) {
  signal(SIGTERM, on_signal);
  signal(SIGINT, on_signal);
  if (argc >= 2) {
    const char *c = argv[1];
    int plays_hardware = !strcmp(c, "rc") || !strcmp(c, "rc-sysfs") || !strcmp(c, "watch") || !strcmp(c, "toggle");
    if (plays_hardware) realtime();
    if (!strcmp(c, "rc")) return cmd_rc(argc - 1, argv + 1);
    if (!strcmp(c, "rc-sysfs")) return cmd_rc_sysfs(argc - 1, argv + 1);
    if (!strcmp(c, "watch")) return cmd_watch(argc - 1, argv + 1);
    if (!strcmp(c, "toggle")) return cmd_toggle(argc - 1, argv + 1);
    if (!strcmp(c, "hold")) return cmd_hold(argc - 1, argv + 1);
    if (!strcmp(c, "runas")) return cmd_runas(argc - 1, argv + 1);
  }
  fprintf(stderr, "usage: simhelper rc|rc-sysfs|watch|toggle|hold|runas ... (see source)\n");
  return 2;
}
