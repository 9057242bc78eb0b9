// Is a node a Raspberry Pi? Decided from what its kubelet reports in status.nodeInfo, because
// no standard label says so (node-feature-discovery has no Pi-model label).
//
// The rule (also printed by `gpio-fleet nodes --help`):
//   kernelVersion contains "+rpt-rpi-"  Raspberry Pi OS kernels since 2023 (6.1.0-rpi7-rpi-v8,
//                                       6.6.31+rpt-rpi-v8, ...-v7l, ...-2712)
//   or contains "-rpi-v" / "-rpi-2712"  the 2023 bookworm launch kernels (6.1.0-rpi4-rpi-v8)
//   or ends in "-v7+", "-v7l+", "-v8+"  the older Raspberry Pi kernels (5.10.103-v7l+, 5.15.84-v8+)
//   or ends in "-raspi"                 Ubuntu's Raspberry Pi kernels (5.15.0-1034-raspi)
//   or osImage starts with "Raspbian"   32-bit Raspberry Pi OS, whatever the kernel
import type { V1Node } from '@kubernetes/client-node';

export interface PiEvidence {
  pi: boolean;
  /** Which part of the rule matched, for --output json and debugging. */
  reason: string;
}

const KERNEL_RULES: readonly [RegExp, string][] = [
  [/\+rpt-rpi-/, 'kernel +rpt-rpi-'],
  [/-rpi-(v\d|2712)/, 'kernel -rpi-'],
  [/-v(6|7|7l|8)\+$/, 'kernel -v7+/-v7l+/-v8+'],
  [/-raspi$/, 'kernel -raspi'],
];

export function detectPi(info: { kernelVersion?: string | undefined; osImage?: string | undefined } | undefined): PiEvidence {
  const kernel = info?.kernelVersion ?? '';
  for (const [re, reason] of KERNEL_RULES) if (re.test(kernel)) return { pi: true, reason };
  if (/^Raspbian\b/i.test(info?.osImage ?? '')) return { pi: true, reason: 'osImage Raspbian' };
  return { pi: false, reason: 'no Raspberry Pi kernel or OS image' };
}

export function isPiNode(node: V1Node): boolean {
  return detectPi(node.status?.nodeInfo).pi;
}

export const PI_RULE_HELP = [
  'Raspberry Pi detection (from node.status.nodeInfo, as the kubelet reports it):',
  '  a node is a Pi when its kernelVersion contains "+rpt-rpi-" or "-rpi-v"/"-rpi-2712"',
  '  (Raspberry Pi OS kernels, e.g. 6.6.31+rpt-rpi-v8), ends in "-v7+", "-v7l+" or "-v8+"',
  '  (older Raspberry Pi kernels) or "-raspi" (Ubuntu for Pi), or when its osImage starts',
  '  with "Raspbian" (32-bit Raspberry Pi OS).',
].join('\n');
