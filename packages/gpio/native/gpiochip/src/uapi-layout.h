/*
 * The GPIO v2 uAPI as the kernel lays it out, pinned at compile time for every target the
 * addon is built for (x64, arm64, armv7).
 *
 * The kernel reads and writes these structs by size and offset: an ioctl number encodes the
 * struct size, read() on a request fd returns whole 48-byte events, and the 64-bit fields
 * (flags, attribute values, timestamps) must sit where the kernel put them. A 32-bit ABI
 * that aligned a u64 to 4 bytes would move every field after one; the uAPI's
 * __aligned_u64 and explicit padding exist so that it does not. These assertions make any
 * toolchain, header or ABI that disagrees with the numbers below fail the build instead of
 * handing the kernel a misread struct (EINVAL at best, wrong values at worst).
 *
 * The numbers are the kernel's (include/uapi/linux/gpio.h, checked against a running
 * kernel by tests/vm on each architecture); `node build.mjs --check-layout all` compiles
 * them with each cross compiler, which packages/gpio/test/backends/gpiochip-layout.test.ts runs.
 */
#ifndef GPIOCHIP_UAPI_LAYOUT_H
#define GPIOCHIP_UAPI_LAYOUT_H

#include <linux/gpio.h>
#include <stddef.h>

#define GPIOCHIP_FIELD_SIZE(type, field) sizeof(((type *)0)->field)

#define GPIOCHIP_PIN_SIZE(type, size, align)                                \
  _Static_assert(sizeof(type) == (size), "sizeof(" #type ") is not " #size); \
  _Static_assert(_Alignof(type) == (align), "_Alignof(" #type ") is not " #align)
#define GPIOCHIP_PIN_FIELD(type, field, offset, size)                                                    \
  _Static_assert(offsetof(type, field) == (offset), "offsetof(" #type ", " #field ") is not " #offset); \
  _Static_assert(GPIOCHIP_FIELD_SIZE(type, field) == (size), "sizeof(" #type "." #field ") is not " #size)
#define GPIOCHIP_PIN_IOCTL(name, value) _Static_assert((name) == (value), #name " is not " #value)

_Static_assert(GPIO_MAX_NAME_SIZE == 32, "GPIO_MAX_NAME_SIZE is not 32");
_Static_assert(GPIO_V2_LINES_MAX == 64, "GPIO_V2_LINES_MAX is not 64");
_Static_assert(GPIO_V2_LINE_NUM_ATTRS_MAX == 10, "GPIO_V2_LINE_NUM_ATTRS_MAX is not 10");

GPIOCHIP_PIN_SIZE(struct gpiochip_info, 68, 4);
GPIOCHIP_PIN_FIELD(struct gpiochip_info, name, 0, 32);
GPIOCHIP_PIN_FIELD(struct gpiochip_info, label, 32, 32);
GPIOCHIP_PIN_FIELD(struct gpiochip_info, lines, 64, 4);

GPIOCHIP_PIN_SIZE(struct gpio_v2_line_attribute, 16, 8);
GPIOCHIP_PIN_FIELD(struct gpio_v2_line_attribute, id, 0, 4);
GPIOCHIP_PIN_FIELD(struct gpio_v2_line_attribute, flags, 8, 8);
GPIOCHIP_PIN_FIELD(struct gpio_v2_line_attribute, values, 8, 8);
GPIOCHIP_PIN_FIELD(struct gpio_v2_line_attribute, debounce_period_us, 8, 4);

GPIOCHIP_PIN_SIZE(struct gpio_v2_line_config_attribute, 24, 8);
GPIOCHIP_PIN_FIELD(struct gpio_v2_line_config_attribute, attr, 0, 16);
GPIOCHIP_PIN_FIELD(struct gpio_v2_line_config_attribute, mask, 16, 8);

GPIOCHIP_PIN_SIZE(struct gpio_v2_line_config, 272, 8);
GPIOCHIP_PIN_FIELD(struct gpio_v2_line_config, flags, 0, 8);
GPIOCHIP_PIN_FIELD(struct gpio_v2_line_config, num_attrs, 8, 4);
GPIOCHIP_PIN_FIELD(struct gpio_v2_line_config, attrs, 32, 240);

GPIOCHIP_PIN_SIZE(struct gpio_v2_line_request, 592, 8);
GPIOCHIP_PIN_FIELD(struct gpio_v2_line_request, offsets, 0, 256);
GPIOCHIP_PIN_FIELD(struct gpio_v2_line_request, consumer, 256, 32);
GPIOCHIP_PIN_FIELD(struct gpio_v2_line_request, config, 288, 272);
GPIOCHIP_PIN_FIELD(struct gpio_v2_line_request, num_lines, 560, 4);
GPIOCHIP_PIN_FIELD(struct gpio_v2_line_request, event_buffer_size, 564, 4);
GPIOCHIP_PIN_FIELD(struct gpio_v2_line_request, fd, 588, 4);

GPIOCHIP_PIN_SIZE(struct gpio_v2_line_info, 256, 8);
GPIOCHIP_PIN_FIELD(struct gpio_v2_line_info, name, 0, 32);
GPIOCHIP_PIN_FIELD(struct gpio_v2_line_info, consumer, 32, 32);
GPIOCHIP_PIN_FIELD(struct gpio_v2_line_info, offset, 64, 4);
GPIOCHIP_PIN_FIELD(struct gpio_v2_line_info, num_attrs, 68, 4);
GPIOCHIP_PIN_FIELD(struct gpio_v2_line_info, flags, 72, 8);
GPIOCHIP_PIN_FIELD(struct gpio_v2_line_info, attrs, 80, 160);

GPIOCHIP_PIN_SIZE(struct gpio_v2_line_info_changed, 288, 8);
GPIOCHIP_PIN_FIELD(struct gpio_v2_line_info_changed, info, 0, 256);
GPIOCHIP_PIN_FIELD(struct gpio_v2_line_info_changed, timestamp_ns, 256, 8);
GPIOCHIP_PIN_FIELD(struct gpio_v2_line_info_changed, event_type, 264, 4);

GPIOCHIP_PIN_SIZE(struct gpio_v2_line_event, 48, 8);
GPIOCHIP_PIN_FIELD(struct gpio_v2_line_event, timestamp_ns, 0, 8);
GPIOCHIP_PIN_FIELD(struct gpio_v2_line_event, id, 8, 4);
GPIOCHIP_PIN_FIELD(struct gpio_v2_line_event, offset, 12, 4);
GPIOCHIP_PIN_FIELD(struct gpio_v2_line_event, seqno, 16, 4);
GPIOCHIP_PIN_FIELD(struct gpio_v2_line_event, line_seqno, 20, 4);

GPIOCHIP_PIN_SIZE(struct gpio_v2_line_values, 16, 8);
GPIOCHIP_PIN_FIELD(struct gpio_v2_line_values, bits, 0, 8);
GPIOCHIP_PIN_FIELD(struct gpio_v2_line_values, mask, 8, 8);

/* _IOC(dir, 0xB4, nr, size): the size field is why a struct that changed size is a different
 * ioctl to the kernel (ENOTTY), not merely a misread one. */
GPIOCHIP_PIN_IOCTL(GPIO_GET_CHIPINFO_IOCTL, 0x8044B401u);
GPIOCHIP_PIN_IOCTL(GPIO_V2_GET_LINEINFO_IOCTL, 0xC100B405u);
GPIOCHIP_PIN_IOCTL(GPIO_V2_GET_LINEINFO_WATCH_IOCTL, 0xC100B406u);
GPIOCHIP_PIN_IOCTL(GPIO_V2_GET_LINE_IOCTL, 0xC250B407u);
GPIOCHIP_PIN_IOCTL(GPIO_GET_LINEINFO_UNWATCH_IOCTL, 0xC004B40Cu);
GPIOCHIP_PIN_IOCTL(GPIO_V2_LINE_SET_CONFIG_IOCTL, 0xC110B40Du);
GPIOCHIP_PIN_IOCTL(GPIO_V2_LINE_GET_VALUES_IOCTL, 0xC010B40Eu);
GPIOCHIP_PIN_IOCTL(GPIO_V2_LINE_SET_VALUES_IOCTL, 0xC010B40Fu);

#endif
