// Opening the header chip: scan <dev>/gpiochip*, read each label with GPIO_GET_CHIPINFO_IOCTL
// and keep the one that drives the header (or the chip named by --gpio-chip / GPIO_CHIP).
// Every failure becomes a BackendUnavailableError that says what to do.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { BackendUnavailableError } from '../../errors.js';
import { hostPaths, type RealBackendOptions } from '../options.js';
import { errnoCode, type ChipInfo, type GpiochipAddon } from './addon.js';
import { chipDeviceNames, chooseHeaderChip, isPermissionCode, resolveChipOption, type ChipProbe } from './chip-select.js';
import { groupNameForGid } from './group-file.js';
import {
  chipOptionMissingMessage,
  noChipMessage,
  noHeaderChipMessage,
  permissionMessage,
  type AccessFacts,
} from './messages.js';

export interface OpenedChip {
  path: string;
  fd: number;
  info: ChipInfo;
}

const CHIP_OPTION = '--gpio-chip / GPIO_CHIP';

function probe(addon: GpiochipAddon, path: string): ChipProbe & { fd?: number } {
  let fd: number;
  try {
    fd = addon.openChip(path);
  } catch (err) {
    return { path, errorCode: errnoCode(err), errorMessage: err instanceof Error ? err.message : String(err) };
  }
  try {
    return { path, fd, info: addon.chipInfo(fd) };
  } catch (err) {
    addon.closeFd(fd);
    return { path, errorCode: errnoCode(err), errorMessage: err instanceof Error ? err.message : String(err) };
  }
}

/** Facts for a permission error: who owns the device, which group grants access. */
export function accessFacts(path: string, code: string): AccessFacts {
  const facts: AccessFacts = { path, code, processUid: process.getuid?.(), processGroups: process.getgroups?.() };
  try {
    const st = statSync(path);
    facts.mode = st.mode;
    facts.ownerUid = st.uid;
    facts.groupGid = st.gid;
    facts.groupName = groupNameForGid(readFileSync('/etc/group', 'utf8'), st.gid);
  } catch {
    // Unreadable metadata: the message says less, but still names the device.
  }
  return facts;
}

function unavailable(message: string): BackendUnavailableError {
  return new BackendUnavailableError('gpiochip', message);
}

function openNamedChip(addon: GpiochipAddon, path: string, present: string[]): OpenedChip {
  const p = probe(addon, path);
  if (p.fd !== undefined && p.info) return { path, fd: p.fd, info: p.info };
  if (p.errorCode === 'ENOENT') throw unavailable(chipOptionMissingMessage(path, CHIP_OPTION, present));
  if (isPermissionCode(p.errorCode)) throw unavailable(permissionMessage(accessFacts(path, p.errorCode!)));
  throw unavailable(`cannot use ${path} (from ${CHIP_OPTION}) as a GPIO chip: ${p.errorMessage}`);
}

export function openHeaderChip(addon: GpiochipAddon, options: RealBackendOptions = {}): OpenedChip {
  const dev = hostPaths(options).dev;
  let entries: string[] = [];
  try {
    entries = readdirSync(dev);
  } catch {
    // A missing /dev directory means no chips, which the next check reports.
  }
  const names = chipDeviceNames(entries);
  const paths = names.map((n) => `${dev}/${n}`);

  if (options.chip !== undefined && options.chip.trim() !== '') {
    return openNamedChip(addon, resolveChipOption(options.chip, dev), paths);
  }
  if (names.length === 0) throw unavailable(noChipMessage(dev));

  const probes = paths.map((p) => probe(addon, p));
  const choice = chooseHeaderChip(probes);
  for (const p of probes) {
    if (p.fd !== undefined && (choice.kind !== 'found' || p.path !== choice.probe.path)) addon.closeFd(p.fd);
  }
  switch (choice.kind) {
    case 'found': {
      const fd = probes.find((p) => p.path === choice.probe.path)!.fd!;
      return { path: choice.probe.path, fd, info: choice.probe.info };
    }
    case 'denied': {
      const facts = accessFacts(choice.probe.path, choice.probe.errorCode!);
      facts.alsoDenied = probes.filter((p) => p !== choice.probe && isPermissionCode(p.errorCode)).map((p) => p.path);
      throw unavailable(permissionMessage(facts));
    }
    case 'none':
      throw unavailable(noHeaderChipMessage(probes));
  }
}
