// Will the app's image run on a node? The charts write the platforms their image is built for
// into the DaemonSet's annotation gpio-fleet.io/platforms ("linux/amd64,linux/arm64,linux/arm/v7");
// a node reports its architecture in status.nodeInfo, but not the ARM variant, which a
// Raspberry Pi kernel's name gives away: -v6 (Pi 1 and Zero, ARMv6), -v7/-v7l (32-bit on
// ARMv7 and later). Pure.
import type { V1DaemonSet, V1Node } from '@kubernetes/client-node';

export const PLATFORMS_ANNOTATION = 'gpio-fleet.io/platforms';

export interface Platform {
  os: string;
  arch: string;
  /** ARM variant (v6, v7, v8), when known. */
  variant?: string | undefined;
}

export const formatPlatform = (p: Platform): string => [p.os, p.arch, p.variant].filter(Boolean).join('/');

/** "linux/amd64,linux/arm/v7" -> platforms; malformed entries are left out. */
export function parsePlatforms(text: string): Platform[] {
  return text
    .split(',')
    .map((s) => s.trim().split('/'))
    .filter((parts) => parts.length >= 2 && parts.length <= 3 && parts.every(Boolean))
    .map(([os, arch, variant]) => ({ os: os!, arch: arch!, variant }));
}

/** The platforms a DaemonSet declares, or undefined when it does not (a chart without the annotation). */
export function declaredPlatforms(ds: V1DaemonSet): Platform[] | undefined {
  const text = ds.metadata?.annotations?.[PLATFORMS_ANNOTATION];
  return text === undefined ? undefined : parsePlatforms(text);
}

const ARM_VARIANT: readonly [RegExp, string][] = [
  [/(-rpi-v6|-v6\+?)$/, 'v6'],
  [/(-rpi-v7l?|-v7l?\+?)$/, 'v7'],
];

/** The node's platform; for 32-bit ARM the variant comes from a Raspberry Pi kernel name, when it has one. */
export function nodePlatform(node: V1Node): Platform {
  const info = node.status?.nodeInfo;
  const labels = node.metadata?.labels ?? {};
  const os = info?.operatingSystem || labels['kubernetes.io/os'] || 'linux';
  const arch = info?.architecture || labels['kubernetes.io/arch'] || '?';
  if (arch !== 'arm') return { os, arch };
  const kernel = info?.kernelVersion ?? '';
  return { os, arch, variant: ARM_VARIANT.find(([re]) => re.test(kernel))?.[1] };
}

export interface PlatformMatch {
  ok: boolean;
  /** The image platform that runs on the node, or why none does. */
  detail: string;
}

/**
 * Whether an image built for `platforms` runs on `node`. An ARMv7 image does not run on an
 * ARMv6 Pi; one built for linux/arm without a variant is taken to run on any 32-bit ARM.
 */
export function matchPlatform(platforms: readonly Platform[], node: Platform): PlatformMatch {
  const list = platforms.map(formatPlatform).join(', ');
  const candidates = platforms.filter((p) => p.os === node.os && p.arch === node.arch);
  if (candidates.length === 0) return { ok: false, detail: `the image has no ${node.os}/${node.arch} variant (it has ${list || 'none'})` };
  if (node.arch !== 'arm') return { ok: true, detail: `image platform ${formatPlatform(candidates[0]!)}` };
  const fits = candidates.find((p) => p.variant === undefined || node.variant === undefined || variantRunsOn(p.variant, node.variant));
  if (!fits) return { ok: false, detail: `an ARM${node.variant} node (Pi 1 or Zero) cannot run ${candidates.map(formatPlatform).join(', ')}` };
  const note = node.variant === undefined && fits.variant !== undefined ? ` (the node's ARM variant is unknown; ${fits.variant} assumed)` : '';
  return { ok: true, detail: `image platform ${formatPlatform(fits)}${note}` };
}

/** Code for an older ARM variant runs on a newer core, not the other way round. */
function variantRunsOn(image: string, node: string): boolean {
  const n = (v: string) => Number(/^v(\d+)$/.exec(v)?.[1] ?? NaN);
  return n(image) <= n(node);
}
