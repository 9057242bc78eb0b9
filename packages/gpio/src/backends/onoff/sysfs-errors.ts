// sysfs reports every GPIO problem as a bare errno on a file write. Translate the ones users
// hit into what to change: the numbering (EINVAL), a pin held elsewhere (EBUSY), permissions
// (EACCES/EPERM: group membership, or a container's read-only /sys), missing files (ENOENT).
import { readFileSync, statSync } from 'node:fs';
import { BackendUnavailableError, HardwareError } from '../../errors.js';
import { groupNameForGid } from '../gpiochip/group-file.js';
import type { SysfsChip } from './sysfs-chips.js';

/** Name of group `gid` from an /etc/group-format file, or undefined. */
export function groupName(gid: number, groupFile = '/etc/group'): string | undefined {
  let text: string;
  try {
    text = readFileSync(groupFile, 'utf8');
  } catch {
    return undefined; // no group database (e.g. a FROM scratch image): report the number only
  }
  return groupNameForGid(text, gid);
}

/** "owned by uid 0, group gpio (gid 997), mode 0770", or undefined if it cannot be stat'ed. */
export function describeOwnership(path: string, groupFile?: string): string | undefined {
  try {
    const st = statSync(path);
    const g = groupName(st.gid, groupFile);
    const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
    return `owned by uid ${st.uid}, group ${g ? `${g} (gid ${st.gid})` : `gid ${st.gid}`}, mode ${mode}`;
  } catch {
    return undefined;
  }
}

export interface SysfsContext {
  /** What was being done, e.g. "exporting GPIO4". */
  action: string;
  /** The file involved, if known. */
  path?: string;
  bcm?: number;
  /** The sysfs number used (base + bcm). */
  number?: number;
  chip?: SysfsChip;
  sysfsGpio: string;
  /** For tests: the group database to name groups from. */
  groupFile?: string;
}

const errnoOf = (err: unknown): string | undefined =>
  typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string'
    ? (err as { code: string }).code
    : undefined;

const whoAmI = (): string => {
  const uid = process.geteuid?.();
  const groups = process.getgroups?.();
  return uid === undefined ? 'this process' : `this process (uid ${uid}, groups ${groups?.join(',') || 'none'})`;
};

/** The error to throw for a failed sysfs operation. */
export function sysfsFailure(err: unknown, ctx: SysfsContext): Error {
  const code = errnoOf(err);
  const msg = err instanceof Error ? err.message : String(err);
  // Node's fs errors carry the file that failed, which may differ from the one we meant
  // (onoff opens gpioN/value after writing export).
  const errPath = typeof (err as { path?: unknown } | null)?.path === 'string' ? (err as { path: string }).path : undefined;
  const file = errPath ?? ctx.path ?? ctx.sysfsGpio;
  const line =
    ctx.bcm !== undefined && ctx.number !== undefined
      ? `GPIO${ctx.bcm} (sysfs number ${ctx.number}${ctx.chip ? ` = base ${ctx.chip.base} of ${ctx.chip.label} + ${ctx.bcm}` : ''})`
      : 'the GPIO';
  switch (code) {
    case 'EINVAL':
      return new HardwareError(
        `onoff: ${ctx.action} failed with EINVAL: the kernel rejected ${line}. Since kernel 6.6 sysfs numbers are ` +
          `the chip base plus the BCM number (a Pi 4 has base 512, so GPIO4 is 516); check ${ctx.sysfsGpio}/gpiochip*/base. ` +
          `(${msg})`,
        { cause: err },
      );
    case 'EBUSY':
      return new HardwareError(
        `onoff: ${ctx.action} failed with EBUSY: ${line} is held by a kernel driver or another program ` +
          '(GPIO7-11 belong to SPI0 while SPI is enabled: set dtparam=spi=off in config.txt; ' +
          `a line requested through /dev/gpiochip cannot be exported either). (${msg})`,
        { cause: err },
      );
    case 'EACCES':
    case 'EPERM': {
      const owner = describeOwnership(file, ctx.groupFile);
      return new BackendUnavailableError(
        'onoff',
        `permission denied while ${ctx.action}: ${whoAmI()} may not write ${file}` +
          `${owner ? ` (${owner})` : ''}. On Raspberry Pi OS add the user to the gpio group ` +
          '(sudo usermod -aG gpio $USER, then log in again) or run as root. In a container /sys is mounted ' +
          'read-only and sysfs GPIO needs a privileged pod with /sys mounted read-write; --gpio gpiochip avoids that. ' +
          `(${code}: ${msg})`,
        { cause: err },
      );
    }
    case 'EROFS':
      return new BackendUnavailableError(
        'onoff',
        `${file} is on a read-only file system while ${ctx.action}: in a container /sys is read-only unless the pod is ` +
          'privileged (sysfs GPIO needs /sys mounted read-write); --gpio gpiochip avoids that. ' +
          `(${msg})`,
        { cause: err },
      );
    case 'ENOENT':
      return new BackendUnavailableError(
        'onoff',
        `${file} does not exist while ${ctx.action}` +
          (ctx.number !== undefined ? `: the kernel did not create gpio${ctx.number} after the export` : '') +
          `. Check that ${line} exists on this board and that sysfs GPIO is enabled; --gpio gpiochip is the ` +
          `supported interface. (${msg})`,
        { cause: err },
      );
    default:
      return new HardwareError(`onoff: ${ctx.action} failed: ${msg}`, { cause: err });
  }
}
