// The gpiochip backend's error messages. Pure: each says what is wrong and what to do, with
// the names an operator needs (device path, group and gid, consumer of a busy line).
import type { ChipProbe } from './chip-select.js';
import { HEADER_CHIP_LABELS } from './chip-select.js';

const K8S_DEVICE_HINT =
  'in Kubernetes use the device plugin (helm install gpio-device-plugin charts/gpio-device-plugin, then resources.limits ' +
  '"gpio-fleet.io/gpiochip: 1"; or smarter-device-manager, squat generic-device-plugin) so the pod gets the device without privileged';

export function noChipMessage(devDir: string): string {
  return (
    `no GPIO chip: ${devDir}/gpiochip* not present. On a Raspberry Pi the kernel provides /dev/gpiochip0 ` +
    `(Pi 5 before kernel 6.6.45: /dev/gpiochip4); in a container pass the device in (--device /dev/gpiochip0); ` +
    `${K8S_DEVICE_HINT}.`
  );
}

export function chipOptionMissingMessage(path: string, option: string, present: readonly string[]): string {
  const list = present.length > 0 ? present.join(', ') : 'none';
  return `no GPIO chip: ${path} (from ${option}) does not exist; chips present: ${list}. ${K8S_DEVICE_HINT}.`;
}

function describeProbe(p: ChipProbe): string {
  if (p.info) return `${p.path} "${p.info.label}" (${p.info.lines} lines)`;
  return `${p.path} (${p.errorCode ?? 'error'}: ${p.errorMessage ?? 'unreadable'})`;
}

export function noHeaderChipMessage(probes: readonly ChipProbe[]): string {
  return (
    `no Raspberry Pi header GPIO chip found: ${probes.map(describeProbe).join('; ')}. ` +
    `Expected a chip labelled ${HEADER_CHIP_LABELS.join(', ')}; choose one with --gpio-chip / GPIO_CHIP (e.g. gpiochip0).`
  );
}

/** Owner and permissions of a device file, and who the process is. */
export interface AccessFacts {
  path: string;
  /** errno name of the failed open: EACCES or EPERM. */
  code: string;
  mode?: number;
  ownerUid?: number;
  groupGid?: number;
  /** Name of groupGid from /etc/group, when it has one. */
  groupName?: string;
  processUid?: number;
  processGroups?: readonly number[];
  /** Other chips refused the same way (their labels could not be read either). */
  alsoDenied?: readonly string[];
}

const octal = (mode: number): string => `0${(mode & 0o777).toString(8)}`;

export function permissionMessage(f: AccessFacts): string {
  const also = f.alsoDenied && f.alsoDenied.length > 0 ? ` (also refused: ${f.alsoDenied.join(', ')})` : '';
  const who = f.processUid === undefined ? '' : ` as uid ${f.processUid}${f.processGroups ? ` (groups ${f.processGroups.join(',') || 'none'})` : ''}`;
  const owner =
    f.mode === undefined ? '' : ` (mode ${octal(f.mode)}, owner uid ${f.ownerUid ?? '?'}, group ${f.groupName ?? '?'} gid ${f.groupGid ?? '?'})`;
  const group = f.groupName ? `"${f.groupName}" (gid ${f.groupGid})` : `gid ${f.groupGid ?? '?'}`;
  const addGroup =
    f.groupGid === undefined
      ? ''
      : ` Add the user to group ${group}: sudo usermod -aG ${f.groupName ?? f.groupGid} <user>, then log in again; ` +
        `in a container add the group (--group-add ${f.groupGid}); in Kubernetes put ${f.groupGid} in the pod's ` +
        `securityContext.supplementalGroups.`;
  if (f.code === 'EPERM') {
    return (
      `operation not permitted opening ${f.path}${owner}${who}${also}: the file mode is not the obstacle, a container's ` +
      `device cgroup is (a hostPath mount of a device is not enough without privileged); ${K8S_DEVICE_HINT}.${addGroup}`
    );
  }
  return `permission denied opening ${f.path}${owner}${who}${also}.${addGroup}`;
}

export interface BusyFacts {
  path: string;
  label: string;
  offset: number;
  /** What the kernel reports as the holder (GPIO_V2_GET_LINEINFO_IOCTL consumer). */
  consumer: string;
  requester: string;
}

export function lineBusyMessage(f: BusyFacts): string {
  const holder = f.consumer ? `"${f.consumer}"` : 'an unnamed consumer';
  const sysfsHint =
    f.consumer === 'sysfs'
      ? ' It is exported through /sys/class/gpio: unexport it (echo <base+offset> > /sys/class/gpio/unexport).'
      : f.consumer === f.requester
        ? ' Another instance of this app may be running.'
        : '';
  return (
    `GPIO line ${f.offset} of ${f.path} (${f.label}) is busy: the kernel reports it held by ${holder}; ` +
    `"${f.requester}" cannot claim it until that process releases it (stop it, then retry).${sysfsHint}`
  );
}
