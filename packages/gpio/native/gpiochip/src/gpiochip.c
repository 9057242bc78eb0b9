/*
 * gpiochip.node: a thin N-API binding to the Linux GPIO character device, v2 uAPI.
 *
 * Written against the kernel's own header (<linux/gpio.h>), not libgpiod, so the addon does
 * not depend on the libgpiod version of the machine it runs on. Only N-API (ABI-stable) and
 * libuv's stable handle API are used, so one source builds for x64, arm64 and armv7.
 *
 * Policy (which chip, which flags, error wording) lives in TypeScript; this file only turns
 * ioctls into calls. Errors are thrown as Error objects carrying `errno` (number) and
 * `syscall`; the JS side maps the number to its name.
 *
 * Edge events: the line request fd is watched with a uv_poll_t on Node's own event loop, so
 * nothing blocks the JS thread and nothing spins. Each event carries the kernel timestamp
 * (CLOCK_MONOTONIC ns by default), reduced modulo 2^53 so the JS number stays exact.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <uv.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/gpio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "uapi-layout.h" /* the build fails if this toolchain lays the uAPI structs out differently */

#define TICK_MASK ((UINT64_C(1) << 53) - 1)
#define LINE_MAGIC 0x6770696cu /* "gpil" */
#define EVENT_BATCH 16

typedef struct line {
  uint32_t magic;
  int fd;
  int chip_fd;              /* the chip fd watching this line's info changes, or -1 */
  uint32_t offset;
  napi_env env;
  uv_poll_t *poll;          /* allocated with uv_handle_size(): no dependency on uv struct layout */
  napi_ref callback;        /* JS listener while watching */
  napi_async_context async; /* so callbacks run with proper async hooks and microtask draining */
  int watching;
  int finalized;            /* JS object collected */
  int poll_closing;         /* uv_close pending; free after its callback */
} line_t;

/* ---- helpers ------------------------------------------------------------------------- */

#define NAPI_CALL(env, call)                                                              \
  do {                                                                                    \
    if ((call) != napi_ok) {                                                              \
      const napi_extended_error_info *info_ = NULL;                                       \
      napi_get_last_error_info((env), &info_);                                            \
      bool pending_ = false;                                                              \
      napi_is_exception_pending((env), &pending_);                                        \
      if (!pending_)                                                                      \
        napi_throw_error((env), NULL,                                                     \
                         info_ && info_->error_message ? info_->error_message : "napi error"); \
      return NULL;                                                                        \
    }                                                                                     \
  } while (0)

static napi_value throw_errno(napi_env env, int err, const char *syscall, const char *what) {
  char msg[256];
  snprintf(msg, sizeof msg, "%s %s: %s", syscall, what ? what : "", strerror(err));
  napi_value message, error, num, sys;
  napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &message);
  napi_create_error(env, NULL, message, &error);
  napi_create_int32(env, err, &num);
  napi_set_named_property(env, error, "errno", num);
  napi_create_string_utf8(env, syscall, NAPI_AUTO_LENGTH, &sys);
  napi_set_named_property(env, error, "syscall", sys);
  napi_throw(env, error);
  return NULL;
}

static double monotonic_tick(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  uint64_t ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
  return (double)(ns & TICK_MASK);
}

static int get_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv) {
  size_t argc = want;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return -1;
  if (argc < want) {
    napi_throw_type_error(env, NULL, "missing arguments");
    return -1;
  }
  return 0;
}

static int arg_int(napi_env env, napi_value v, int32_t *out) {
  if (napi_get_value_int32(env, v, out) != napi_ok) {
    napi_throw_type_error(env, NULL, "expected an integer");
    return -1;
  }
  return 0;
}

static int arg_u64(napi_env env, napi_value v, uint64_t *out) {
  double d;
  if (napi_get_value_double(env, v, &d) != napi_ok || d < 0 || d > 9007199254740991.0) {
    napi_throw_type_error(env, NULL, "expected a non-negative safe integer");
    return -1;
  }
  *out = (uint64_t)d;
  return 0;
}

static line_t *arg_line(napi_env env, napi_value v) {
  napi_valuetype t;
  void *p = NULL;
  if (napi_typeof(env, v, &t) != napi_ok || t != napi_external ||
      napi_get_value_external(env, v, &p) != napi_ok || p == NULL ||
      ((line_t *)p)->magic != LINE_MAGIC) {
    napi_throw_type_error(env, NULL, "expected a line handle from requestLine()");
    return NULL;
  }
  return (line_t *)p;
}

static void set_str(napi_env env, napi_value obj, const char *key, const char *value, size_t max) {
  napi_value s;
  napi_create_string_utf8(env, value, strnlen(value, max), &s);
  napi_set_named_property(env, obj, key, s);
}

static void set_num(napi_env env, napi_value obj, const char *key, double value) {
  napi_value n;
  napi_create_double(env, value, &n);
  napi_set_named_property(env, obj, key, n);
}

/* Fill a line config: flags plus, for outputs, the initial value as an attribute. */
static void fill_config(struct gpio_v2_line_config *cfg, uint64_t flags, int32_t value) {
  memset(cfg, 0, sizeof *cfg);
  cfg->flags = flags;
  if ((flags & GPIO_V2_LINE_FLAG_OUTPUT) && value >= 0) {
    cfg->num_attrs = 1;
    cfg->attrs[0].attr.id = GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES;
    cfg->attrs[0].attr.values = value ? 1 : 0;
    cfg->attrs[0].mask = 1;
  }
}

/* ---- chip ---------------------------------------------------------------------------- */

/* openChip(path) -> fd */
static napi_value open_chip(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (get_args(env, info, 1, argv)) return NULL;
  char path[4096];
  size_t len;
  NAPI_CALL(env, napi_get_value_string_utf8(env, argv[0], path, sizeof path, &len));
  /* Non-blocking: line-info change events are drained from it without ever waiting. */
  int fd = open(path, O_RDWR | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return throw_errno(env, errno, "open", path);
  napi_value result;
  NAPI_CALL(env, napi_create_int32(env, fd, &result));
  return result;
}

/* closeFd(fd) */
static napi_value close_fd(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int32_t fd;
  if (get_args(env, info, 1, argv) || arg_int(env, argv[0], &fd)) return NULL;
  if (close(fd) < 0 && errno != EINTR) return throw_errno(env, errno, "close", NULL);
  return NULL;
}

/* chipInfo(fd) -> { name, label, lines } via GPIO_GET_CHIPINFO_IOCTL */
static napi_value chip_info(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int32_t fd;
  if (get_args(env, info, 1, argv) || arg_int(env, argv[0], &fd)) return NULL;
  struct gpiochip_info ci;
  memset(&ci, 0, sizeof ci);
  if (ioctl(fd, GPIO_GET_CHIPINFO_IOCTL, &ci) < 0) return throw_errno(env, errno, "ioctl", "GPIO_GET_CHIPINFO_IOCTL");
  napi_value obj;
  NAPI_CALL(env, napi_create_object(env, &obj));
  set_str(env, obj, "name", ci.name, sizeof ci.name);
  set_str(env, obj, "label", ci.label, sizeof ci.label);
  set_num(env, obj, "lines", ci.lines);
  return obj;
}

/* lineInfo(fd, offset) -> { offset, name, consumer, flags } via GPIO_V2_GET_LINEINFO_IOCTL */
static napi_value line_info(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  int32_t fd, offset;
  if (get_args(env, info, 2, argv) || arg_int(env, argv[0], &fd) || arg_int(env, argv[1], &offset)) return NULL;
  struct gpio_v2_line_info li;
  memset(&li, 0, sizeof li);
  li.offset = (uint32_t)offset;
  if (ioctl(fd, GPIO_V2_GET_LINEINFO_IOCTL, &li) < 0) return throw_errno(env, errno, "ioctl", "GPIO_V2_GET_LINEINFO_IOCTL");
  napi_value obj;
  NAPI_CALL(env, napi_create_object(env, &obj));
  set_num(env, obj, "offset", li.offset);
  set_str(env, obj, "name", li.name, sizeof li.name);
  set_str(env, obj, "consumer", li.consumer, sizeof li.consumer);
  set_num(env, obj, "flags", (double)li.flags); /* all defined flags sit far below 2^53 */
  return obj;
}

/* ---- line requests ------------------------------------------------------------------- */

static void maybe_free(line_t *l) {
  if (l->finalized && !l->poll_closing && l->poll == NULL) {
    l->magic = 0;
    free(l);
  }
}

static void on_poll_closed(uv_handle_t *h) {
  line_t *l = (line_t *)uv_handle_get_data(h);
  free(h);
  l->poll = NULL;
  l->poll_closing = 0;
  maybe_free(l);
}

/* Stop delivering events. The poll handle stays (inactive, not holding the loop open) so a
 * later watch can restart it at once; it is closed with the line. */
static void stop_watch(line_t *l) {
  if (l->poll && !l->poll_closing) uv_poll_stop(l->poll);
  if (l->callback) {
    napi_delete_reference(l->env, l->callback);
    l->callback = NULL;
  }
  if (l->async) {
    napi_async_destroy(l->env, l->async);
    l->async = NULL;
  }
  l->watching = 0;
}

static void close_line(line_t *l) {
  stop_watch(l);
  if (l->chip_fd >= 0) {
    uint32_t off = l->offset;
    ioctl(l->chip_fd, GPIO_GET_LINEINFO_UNWATCH_IOCTL, &off); /* fails harmlessly if the chip fd is gone */
    l->chip_fd = -1;
  }
  if (l->poll && !l->poll_closing) {
    l->poll_closing = 1;
    uv_close((uv_handle_t *)l->poll, on_poll_closed);
  }
  if (l->fd >= 0) {
    close(l->fd);
    l->fd = -1;
  }
}

static void finalize_line(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  line_t *l = (line_t *)data;
  close_line(l);
  l->finalized = 1;
  maybe_free(l);
}

/*
 * Read every queued line-info change on the line's chip fd. Returns the timestamp of the
 * last CONFIG change of this line stamped within [from, to], or 0. Other events (our own
 * requests and releases, other watched lines) are simply consumed.
 */
static uint64_t drain_info_events(line_t *l, uint64_t from, uint64_t to) {
  uint64_t found = 0;
  struct gpio_v2_line_info_changed ev[4];
  for (;;) {
    ssize_t n = read(l->chip_fd, ev, sizeof ev);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    size_t count = (size_t)n / sizeof ev[0];
    for (size_t i = 0; i < count; i++) {
      if (ev[i].event_type == GPIO_V2_LINE_CHANGED_CONFIG && ev[i].info.offset == l->offset &&
          ev[i].timestamp_ns >= from && ev[i].timestamp_ns <= to)
        found = ev[i].timestamp_ns;
    }
    if (count < 4) break;
  }
  return found;
}

static uint64_t monotonic_ns_u64(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* requestLine(chipFd, offset, consumer, flags, outputValue) -> line handle */
static napi_value request_line(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  int32_t chip_fd, offset, value;
  uint64_t flags;
  char consumer[GPIO_MAX_NAME_SIZE];
  size_t len;
  if (get_args(env, info, 5, argv) || arg_int(env, argv[0], &chip_fd) || arg_int(env, argv[1], &offset) ||
      arg_u64(env, argv[3], &flags) || arg_int(env, argv[4], &value))
    return NULL;
  NAPI_CALL(env, napi_get_value_string_utf8(env, argv[2], consumer, sizeof consumer, &len));

  struct gpio_v2_line_request req;
  memset(&req, 0, sizeof req);
  req.offsets[0] = (uint32_t)offset;
  req.num_lines = 1;
  memcpy(req.consumer, consumer, len < GPIO_MAX_NAME_SIZE ? len : GPIO_MAX_NAME_SIZE - 1);
  fill_config(&req.config, flags, value);
  if (ioctl(chip_fd, GPIO_V2_GET_LINE_IOCTL, &req) < 0) return throw_errno(env, errno, "ioctl", "GPIO_V2_GET_LINE_IOCTL");

  /* Non-blocking so the poll callback can drain the event queue without ever waiting. */
  int fl = fcntl(req.fd, F_GETFL);
  if (fl < 0 || fcntl(req.fd, F_SETFL, fl | O_NONBLOCK) < 0) {
    int err = errno;
    close(req.fd);
    return throw_errno(env, err, "fcntl", "O_NONBLOCK");
  }

  line_t *l = (line_t *)calloc(1, sizeof *l);
  if (!l) {
    close(req.fd);
    return throw_errno(env, ENOMEM, "calloc", NULL);
  }
  l->magic = LINE_MAGIC;
  l->fd = req.fd;
  l->env = env;
  l->offset = (uint32_t)offset;
  l->chip_fd = -1;
  /* Watch our own line's info changes: SET_CONFIG reports a CONFIG change stamped by the
   * kernel inside the ioctl, a better "switch" time than any clock read after it returns. */
  struct gpio_v2_line_info wi;
  memset(&wi, 0, sizeof wi);
  wi.offset = (uint32_t)offset;
  if (ioctl(chip_fd, GPIO_V2_GET_LINEINFO_WATCH_IOCTL, &wi) == 0) {
    l->chip_fd = chip_fd;
    drain_info_events(l, 0, 0);
  }
  napi_value handle;
  if (napi_create_external(env, l, finalize_line, NULL, &handle) != napi_ok) {
    close(req.fd);
    free(l);
    napi_throw_error(env, NULL, "napi_create_external failed");
    return NULL;
  }
  return handle;
}

static int line_open(napi_env env, line_t *l) {
  if (l->fd < 0) {
    throw_errno(env, EBADF, "line", "already released");
    return -1;
  }
  return 0;
}

/* lineGet(line) -> 0 | 1 via GPIO_V2_LINE_GET_VALUES_IOCTL */
static napi_value line_get(napi_env env, napi_callback_info info) {
  napi_value argv[1], result;
  if (get_args(env, info, 1, argv)) return NULL;
  line_t *l = arg_line(env, argv[0]);
  if (!l || line_open(env, l)) return NULL;
  struct gpio_v2_line_values v = {.bits = 0, .mask = 1};
  if (ioctl(l->fd, GPIO_V2_LINE_GET_VALUES_IOCTL, &v) < 0) return throw_errno(env, errno, "ioctl", "GPIO_V2_LINE_GET_VALUES_IOCTL");
  NAPI_CALL(env, napi_create_int32(env, (int32_t)(v.bits & 1), &result));
  return result;
}

/* lineSet(line, value) via GPIO_V2_LINE_SET_VALUES_IOCTL */
static napi_value line_set(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  int32_t value;
  if (get_args(env, info, 2, argv)) return NULL;
  line_t *l = arg_line(env, argv[0]);
  if (!l || arg_int(env, argv[1], &value) || line_open(env, l)) return NULL;
  struct gpio_v2_line_values v = {.bits = value ? 1 : 0, .mask = 1};
  if (ioctl(l->fd, GPIO_V2_LINE_SET_VALUES_IOCTL, &v) < 0) return throw_errno(env, errno, "ioctl", "GPIO_V2_LINE_SET_VALUES_IOCTL");
  return NULL;
}

/*
 * lineSetConfig(line, flags, outputValue) -> tick. Reconfigures the held request in place
 * (GPIO_V2_LINE_SET_CONFIG_IOCTL): the line is never released, so an RC capacitor starts
 * charging at the switch. The tick is on CLOCK_MONOTONIC, the clock of the edge timestamps:
 * the kernel's own stamp of the CONFIG change when the line-info watch delivered it during
 * the ioctl (immune to the thread being preempted on the way back to user space), else
 * CLOCK_MONOTONIC read right after the ioctl (kernels that report the change later).
 */
static napi_value line_set_config(napi_env env, napi_callback_info info) {
  napi_value argv[3], result;
  uint64_t flags;
  int32_t value;
  if (get_args(env, info, 3, argv)) return NULL;
  line_t *l = arg_line(env, argv[0]);
  if (!l || arg_u64(env, argv[1], &flags) || arg_int(env, argv[2], &value) || line_open(env, l)) return NULL;
  struct gpio_v2_line_config cfg;
  fill_config(&cfg, flags, value);
  uint64_t before = monotonic_ns_u64();
  if (ioctl(l->fd, GPIO_V2_LINE_SET_CONFIG_IOCTL, &cfg) < 0) return throw_errno(env, errno, "ioctl", "GPIO_V2_LINE_SET_CONFIG_IOCTL");
  uint64_t after = monotonic_ns_u64();
  uint64_t stamped = l->chip_fd >= 0 ? drain_info_events(l, before, after) : 0;
  NAPI_CALL(env, napi_create_double(env, (double)((stamped ? stamped : after) & TICK_MASK), &result));
  return result;
}

/* Read every queued event and hand each to the listener: (timestampNs, rising, seqno). The
 * sequence number lets a reader prove no edge was lost between the kernel and JavaScript. */
static void on_poll(uv_poll_t *h, int status, int events) {
  (void)events;
  line_t *l = (line_t *)uv_handle_get_data((uv_handle_t *)h);
  if (!l->watching) return;
  napi_env env = l->env;
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;

  if (status < 0) {
    /* The fd went bad (e.g. the chip was removed): stop and raise it as an uncaught error. */
    char msg[128];
    snprintf(msg, sizeof msg, "gpiochip: polling a GPIO line request failed: %s", uv_strerror(status));
    napi_value m, error;
    napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &m);
    napi_create_error(env, NULL, m, &error);
    stop_watch(l);
    napi_fatal_exception(env, error);
    napi_close_handle_scope(env, scope);
    return;
  }

  struct gpio_v2_line_event ev[EVENT_BATCH];
  while (l->watching && l->fd >= 0) {
    ssize_t n = read(l->fd, ev, sizeof ev);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break; /* EAGAIN: drained */
    size_t count = (size_t)n / sizeof ev[0];
    for (size_t i = 0; i < count && l->watching; i++) {
      napi_value cb, recv, args[3], ignored;
      napi_get_reference_value(env, l->callback, &cb);
      napi_get_global(env, &recv); /* napi_make_callback needs an object receiver */
      napi_create_double(env, (double)(ev[i].timestamp_ns & TICK_MASK), &args[0]);
      napi_get_boolean(env, ev[i].id == GPIO_V2_LINE_EVENT_RISING_EDGE, &args[1]);
      napi_create_double(env, (double)ev[i].line_seqno, &args[2]);
      if (napi_make_callback(env, l->async, recv, cb, 3, args, &ignored) != napi_ok) {
        napi_value exc;
        if (napi_get_and_clear_last_exception(env, &exc) == napi_ok) napi_fatal_exception(env, exc);
      }
    }
    if (count < EVENT_BATCH) break;
  }
  napi_close_handle_scope(env, scope);
}

/* lineWatch(line, listener): start delivering edge events on the event loop. */
static napi_value line_watch(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  if (get_args(env, info, 2, argv)) return NULL;
  line_t *l = arg_line(env, argv[0]);
  if (!l || line_open(env, l)) return NULL;
  napi_valuetype t;
  NAPI_CALL(env, napi_typeof(env, argv[1], &t));
  if (t != napi_function) {
    napi_throw_type_error(env, NULL, "listener must be a function");
    return NULL;
  }
  if (l->watching) stop_watch(l);
  uv_loop_t *loop;
  NAPI_CALL(env, napi_get_uv_event_loop(env, &loop));
  napi_value resource, name;
  NAPI_CALL(env, napi_create_object(env, &resource));
  NAPI_CALL(env, napi_create_string_utf8(env, "gpiochip:line-events", NAPI_AUTO_LENGTH, &name));
  NAPI_CALL(env, napi_async_init(env, resource, name, &l->async));
  NAPI_CALL(env, napi_create_reference(env, argv[1], 1, &l->callback));
  int rc = 0;
  if (!l->poll) {
    uv_poll_t *p = (uv_poll_t *)malloc(uv_handle_size(UV_POLL));
    if (!p) {
      stop_watch(l);
      return throw_errno(env, ENOMEM, "malloc", NULL);
    }
    rc = uv_poll_init(loop, p, l->fd);
    if (rc == 0) {
      uv_handle_set_data((uv_handle_t *)p, l);
      l->poll = p;
    } else {
      free(p);
    }
  }
  if (rc == 0) rc = uv_poll_start(l->poll, UV_READABLE, on_poll);
  if (rc != 0) {
    stop_watch(l);
    napi_throw_error(env, NULL, uv_strerror(rc));
    return NULL;
  }
  l->watching = 1;
  return NULL;
}

/* lineUnwatch(line) */
static napi_value line_unwatch(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (get_args(env, info, 1, argv)) return NULL;
  line_t *l = arg_line(env, argv[0]);
  if (!l) return NULL;
  stop_watch(l);
  return NULL;
}

/* lineRelease(line): stop watching and close the request fd (the kernel frees the line). */
static napi_value line_release(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (get_args(env, info, 1, argv)) return NULL;
  line_t *l = arg_line(env, argv[0]);
  if (!l) return NULL;
  close_line(l);
  return NULL;
}

/* monotonicNs() -> CLOCK_MONOTONIC ns mod 2^53 (the tick counter edge events use). */
static napi_value monotonic_ns(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result;
  NAPI_CALL(env, napi_create_double(env, monotonic_tick(), &result));
  return result;
}

/* ---- module -------------------------------------------------------------------------- */

static void export_fn(napi_env env, napi_value exports, const char *name, napi_callback cb) {
  napi_value fn;
  napi_create_function(env, name, NAPI_AUTO_LENGTH, cb, NULL, &fn);
  napi_set_named_property(env, exports, name, fn);
}

NAPI_MODULE_INIT() {
  export_fn(env, exports, "openChip", open_chip);
  export_fn(env, exports, "closeFd", close_fd);
  export_fn(env, exports, "chipInfo", chip_info);
  export_fn(env, exports, "lineInfo", line_info);
  export_fn(env, exports, "requestLine", request_line);
  export_fn(env, exports, "lineGet", line_get);
  export_fn(env, exports, "lineSet", line_set);
  export_fn(env, exports, "lineSetConfig", line_set_config);
  export_fn(env, exports, "lineWatch", line_watch);
  export_fn(env, exports, "lineUnwatch", line_unwatch);
  export_fn(env, exports, "lineRelease", line_release);
  export_fn(env, exports, "monotonicNs", monotonic_ns);

  /* The kernel's values, so the TypeScript side can check its copies against this header. */
  napi_value c;
  napi_create_object(env, &c);
  set_num(env, c, "FLAG_USED", GPIO_V2_LINE_FLAG_USED);
  set_num(env, c, "FLAG_ACTIVE_LOW", GPIO_V2_LINE_FLAG_ACTIVE_LOW);
  set_num(env, c, "FLAG_INPUT", GPIO_V2_LINE_FLAG_INPUT);
  set_num(env, c, "FLAG_OUTPUT", GPIO_V2_LINE_FLAG_OUTPUT);
  set_num(env, c, "FLAG_EDGE_RISING", GPIO_V2_LINE_FLAG_EDGE_RISING);
  set_num(env, c, "FLAG_EDGE_FALLING", GPIO_V2_LINE_FLAG_EDGE_FALLING);
  set_num(env, c, "FLAG_OPEN_DRAIN", GPIO_V2_LINE_FLAG_OPEN_DRAIN);
  set_num(env, c, "FLAG_OPEN_SOURCE", GPIO_V2_LINE_FLAG_OPEN_SOURCE);
  set_num(env, c, "FLAG_BIAS_PULL_UP", GPIO_V2_LINE_FLAG_BIAS_PULL_UP);
  set_num(env, c, "FLAG_BIAS_PULL_DOWN", GPIO_V2_LINE_FLAG_BIAS_PULL_DOWN);
  set_num(env, c, "FLAG_BIAS_DISABLED", GPIO_V2_LINE_FLAG_BIAS_DISABLED);
  set_num(env, c, "FLAG_EVENT_CLOCK_REALTIME", GPIO_V2_LINE_FLAG_EVENT_CLOCK_REALTIME);
  set_num(env, c, "LINE_EVENT_SIZE", sizeof(struct gpio_v2_line_event));
  set_num(env, c, "LINE_REQUEST_SIZE", sizeof(struct gpio_v2_line_request));
  napi_set_named_property(env, exports, "constants", c);
  return exports;
}
