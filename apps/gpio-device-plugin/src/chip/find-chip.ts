// Which device node the plugin hands out, checked anew on every poll: the header chip found by
// its label in sysfs (the same choice as the gpiochip backend's, from @gpio-fleet/gpio), or the
// node named by --device-path. Nothing is opened: the plugin's own container may not open the
// chip, and does not need to. The answer is either the node or why there is none; a missing
// chip is a state the plugin reports (devices unhealthy), never a reason to stop.
import { statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { chooseHeaderChip, probeChipsInSysfs, type ChipProbe } from '@gpio-fleet/gpio';

/** The host's /dev, as the kubelet and the container runtime see it. */
export const HOST_DEV = '/dev';

export interface ChipSettings {
  /** --device-path: a host path under /dev; when set, no label check is made. */
  devicePath?: string | undefined;
  /** Labels to look for, in order of preference. */
  labels: readonly string[];
  /** Where the host's /dev is visible to this process. */
  devDir: string;
  /** Where the host's sysfs is visible to this process. */
  sysDir: string;
}

export interface FoundChip {
  kind: 'found';
  /** The node on the host, /dev/...: what the kubelet is told. */
  hostPath: string;
  /** gpiochipN, or the node's name for --device-path. */
  name: string;
  /** The label it was found by; undefined for --device-path. */
  label: string | undefined;
  /** Line count, from sysfs; undefined for --device-path. */
  lines: number | undefined;
}

export interface MissingChip {
  kind: 'missing';
  reason: string;
}

export type ChipState = FoundChip | MissingChip;

/** Where this process sees a host /dev path. */
export const localPath = (hostPath: string, devDir: string): string => join(devDir, relative(HOST_DEV, hostPath));

/** Why `path` (as this process sees it) is not a character device, or undefined when it is one. */
function notACharDevice(path: string): string | undefined {
  try {
    return statSync(path).isCharacterDevice() ? undefined : 'is not a character device';
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(err)})`;
  }
}

const describeProbe = (p: ChipProbe): string =>
  p.info ? `${p.info.name} "${p.info.label}" (${p.info.lines} lines)` : `${p.path.split('/').pop()} (${p.errorMessage ?? 'no label'})`;

function byLabel(settings: ChipSettings): ChipState {
  const sys = settings.sysDir;
  const sysBusGpio = join(sys, 'bus/gpio/devices');
  const probes = probeChipsInSysfs({ dev: HOST_DEV, sysBusGpio, sysfsGpio: join(sys, 'class/gpio') });
  const choice = chooseHeaderChip(probes, settings.labels);
  if (choice.kind !== 'found') {
    const seen = probes.length > 0 ? probes.map(describeProbe).join('; ') : `no GPIO chips in ${sysBusGpio}`;
    return { kind: 'missing', reason: `no chip labelled ${settings.labels.join(', ')}: ${seen}` };
  }
  const { path, info } = choice.probe;
  const problem = notACharDevice(localPath(path, settings.devDir));
  if (problem) return { kind: 'missing', reason: `${info.name} "${info.label}" is in sysfs, but its node ${path} ${problem}` };
  return { kind: 'found', hostPath: path, name: info.name, label: info.label, lines: info.lines };
}

function byPath(hostPath: string, devDir: string): ChipState {
  const problem = notACharDevice(localPath(hostPath, devDir));
  if (problem) return { kind: 'missing', reason: `${hostPath} (from --device-path) ${problem}` };
  return { kind: 'found', hostPath, name: hostPath.slice(HOST_DEV.length + 1), label: undefined, lines: undefined };
}

export function findChip(settings: ChipSettings): ChipState {
  return settings.devicePath === undefined ? byLabel(settings) : byPath(settings.devicePath, settings.devDir);
}

/** Equal for the purpose of telling the kubelet: the same node, or the same reason. */
export function sameState(a: ChipState, b: ChipState): boolean {
  if (a.kind === 'found' && b.kind === 'found') return a.hostPath === b.hostPath && a.label === b.label;
  if (a.kind === 'missing' && b.kind === 'missing') return a.reason === b.reason;
  return false;
}
