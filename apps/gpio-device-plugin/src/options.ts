// Every gpio-device-plugin setting: flag, env var, default and accepted form in one place.
import { isAbsolute, normalize } from 'node:path';
import { HEADER_CHIP_LABELS, resolveChipOption } from '@gpio-fleet/gpio';
import { opt, type OptionValues } from '@gpio-fleet/cli-kit';
import { serviceOptions } from '@gpio-fleet/runtime';

export const DEFAULT_RESOURCE = 'gpio-fleet.io/gpiochip';

export const RESOURCE_FORM =
  '<domain>/<name>, e.g. gpio-fleet.io/gpiochip: a lower-case DNS domain outside kubernetes.io, then up to 63 letters, digits, "-", "_" or "." starting and ending with a letter or digit';
const DOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/**
 * An extended resource name as the kubelet accepts it in Register: a domain-prefixed name
 * outside the kubernetes.io namespace (the kubelet refuses the registration otherwise, and
 * says so only in its own log).
 */
export function parseResourceName(raw: string): string {
  const v = raw.trim();
  const slash = v.indexOf('/');
  const domain = v.slice(0, slash);
  const name = v.slice(slash + 1);
  if (slash <= 0 || name.includes('/')) throw new Error('not <domain>/<name>');
  // "requests." + the name must still be a valid qualified name (the API server's check).
  if (!DOMAIN.test(domain) || domain.length > 253 - 'requests.'.length) throw new Error(`"${domain}" is not a DNS domain`);
  if (domain === 'kubernetes.io' || domain.endsWith('.kubernetes.io')) throw new Error('the kubernetes.io domain is reserved for resources Kubernetes itself defines');
  if (!NAME.test(name) || name.length > 63) throw new Error(`"${name}" is not a resource name`);
  return v;
}

export const LABELS_FORM = 'a comma-separated list of chip labels, e.g. pinctrl-rp1,pinctrl-bcm2711';

export function parseLabels(raw: string): string[] {
  const labels = raw.split(',').map((l) => l.trim());
  if (labels.some((l) => l === '')) throw new Error('empty label');
  return [...new Set(labels)];
}

export const DEVICE_PATH_FORM = 'a device node under /dev (/dev/gpiochip4), or its name there (gpiochip4)';

/** The host's device node, /dev/..., from a path or a bare name under /dev. */
export function parseDevicePath(raw: string): string {
  const path = normalize(resolveChipOption(raw, '/dev'));
  if (!isAbsolute(path) || !path.startsWith('/dev/') || path.length <= '/dev/'.length) throw new Error('not under /dev');
  return path;
}

export const ABSOLUTE_FORM = 'an absolute path';

function absolute(raw: string): string {
  const v = raw.trim();
  if (!isAbsolute(v)) throw new Error('not an absolute path');
  return normalize(v);
}

// --host, --log-level and --log-format as every gpio-fleet service has them; no GPIO backend
// options, because the plugin never drives a line.
const { host, logLevel, logFormat } = serviceOptions({ port: 9112 });

export const options = {
  resource: opt.custom({
    flag: 'resource',
    env: 'GPIO_DEVICE_PLUGIN_RESOURCE',
    default: DEFAULT_RESOURCE,
    placeholder: '<domain/name>',
    accepted: RESOURCE_FORM,
    parse: parseResourceName,
    group: 'Resource',
    description: "The extended resource the node advertises and pods request (resources.limits). It stays the same whatever the chip's number.",
  }),
  count: opt.number({
    flag: 'count',
    env: 'GPIO_DEVICE_PLUGIN_COUNT',
    default: '8',
    integer: true,
    min: 1,
    max: 1000,
    group: 'Resource',
    description: "How many pods on the node may hold the chip at once. The kernel reserves single lines, and each app claims only its own, so several apps share one chip.",
  }),
  chipLabels: opt.custom({
    flag: 'chip-labels',
    env: 'GPIO_DEVICE_PLUGIN_CHIP_LABELS',
    default: HEADER_CHIP_LABELS.join(','),
    placeholder: '<labels>',
    accepted: LABELS_FORM,
    parse: parseLabels,
    group: 'Chip',
    description: "Find the chip by its label (from sysfs), trying these in order: the 40-pin header's chip on a Pi 5 (pinctrl-rp1), Pi 4 (pinctrl-bcm2711) and older Pis (pinctrl-bcm2835).",
  }),
  devicePath: opt.custom({
    flag: 'device-path',
    env: 'GPIO_DEVICE_PLUGIN_DEVICE_PATH',
    placeholder: '<path>',
    accepted: DEVICE_PATH_FORM,
    parse: parseDevicePath,
    group: 'Chip',
    description: 'Hand out this device node instead of the chip found by label (other boards). No label check is made.',
  }),
  kubeletDir: opt.custom({
    flag: 'kubelet-dir',
    env: 'GPIO_DEVICE_PLUGIN_KUBELET_DIR',
    default: '/var/lib/kubelet',
    placeholder: '<dir>',
    accepted: ABSOLUTE_FORM,
    parse: absolute,
    group: 'Kubelet',
    description:
      "The directory holding the kubelet's device-plugins/: the plugin registers at <dir>/device-plugins/kubelet.sock and serves its own socket beside it. Every upstream kubelet uses /var/lib/kubelet, whatever its --root-dir.",
  }),
  pollInterval: opt.duration({
    flag: 'poll-interval',
    env: 'GPIO_DEVICE_PLUGIN_POLL_INTERVAL',
    default: '1s',
    positive: true,
    group: 'Kubelet',
    description: "How often the plugin checks the chip (a missing chip makes the devices unhealthy) and the kubelet's socket (a new one means the kubelet restarted: register again).",
  }),
  devDir: opt.custom({
    flag: 'dev-dir',
    env: 'GPIO_DEVICE_PLUGIN_DEV_DIR',
    default: '/dev',
    placeholder: '<dir>',
    accepted: ABSOLUTE_FORM,
    parse: absolute,
    group: 'Host',
    description: "Where this process sees the host's /dev (the chart mounts it read-only at /host/dev). The kubelet is always told the host's path, /dev/....",
  }),
  sysDir: opt.custom({
    flag: 'sys-dir',
    env: 'GPIO_DEVICE_PLUGIN_SYS_DIR',
    default: '/sys',
    placeholder: '<dir>',
    accepted: ABSOLUTE_FORM,
    parse: absolute,
    group: 'Host',
    description: "Where this process sees the host's sysfs, which names each chip's label. Every container sees it read-only at /sys.",
  }),
  once: opt.switch({
    flag: 'once',
    group: 'Chip',
    description:
      'Find the chip, print what a container would get (the Allocate answer) as one JSON line on stdout, and exit: 0 when the chip is there, 1 when not. Needs no kubelet; for checking a node.',
  }),
  port: opt.number({
    flag: 'port',
    env: 'METRICS_PORT',
    default: '9112',
    integer: true,
    min: 0,
    max: 65535,
    group: 'HTTP',
    description: 'Port for /metrics, /healthz and /readyz (0 picks a free port).',
  }),
  host,
  logLevel,
  logFormat,
};

export type PluginOptions = OptionValues<typeof options>;
