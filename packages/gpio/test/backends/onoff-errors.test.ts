// sysfs errno -> actionable errors. The permission case uses a real EACCES: this test runs as
// root, drops its effective uid to nobody for one synchronous call, and restores it.
import { chmodSync, chownSync, closeSync, constants, mkdirSync, openSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackendUnavailableError, HardwareError } from '../../src/errors.js';
import { groupName, sysfsFailure, type SysfsContext } from '../../src/backends/onoff/sysfs-errors.js';
import { checkExportWritable } from '../../src/backends/onoff/driver.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'gpio-sysfs-err-'));
  chmodSync(root, 0o755);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const errno = (code: string, syscall = 'write', path = '/sys/class/gpio/export'): NodeJS.ErrnoException =>
  Object.assign(new Error(`${code}: simulated, ${syscall} '${path}'`), { code, syscall, path });

const chip = { name: 'gpiochip512', base: 512, ngpio: 58, label: 'pinctrl-bcm2711' };
const ctx: SysfsContext = { action: 'exporting GPIO4', path: '/sys/class/gpio/export', bcm: 4, number: 516, chip, sysfsGpio: '/sys/class/gpio' };

/** Run `fn` with the effective uid of nobody (65534); this suite runs as root. */
function asNobody<T>(fn: () => T): T {
  expect(process.geteuid?.(), 'these tests need root to switch to nobody').toBe(0);
  const seteuid = process.seteuid!.bind(process);
  seteuid(65534);
  try {
    return fn();
  } finally {
    seteuid(0);
  }
}

describe('sysfsFailure', () => {
  it('EINVAL explains the base offset with the numbers involved', () => {
    const err = sysfsFailure(errno('EINVAL'), ctx);
    expect(err).toBeInstanceOf(HardwareError);
    expect(err.message).toContain('the kernel rejected GPIO4 (sysfs number 516 = base 512 of pinctrl-bcm2711 + 4)');
    expect(err.message).toContain('Since kernel 6.6');
    expect(err.message).toContain('/sys/class/gpio/gpiochip*/base');
  });

  it('EBUSY points at SPI on the traffic-light pins and at gpiochip users', () => {
    const err = sysfsFailure(errno('EBUSY'), { ...ctx, bcm: 9, number: 521, action: 'exporting GPIO9' });
    expect(err).toBeInstanceOf(HardwareError);
    expect(err.message).toContain('GPIO9 (sysfs number 521');
    expect(err.message).toContain('dtparam=spi=off');
  });

  it('EROFS says /sys is read-only in a container', () => {
    const err = sysfsFailure(errno('EROFS'), ctx);
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect(err.message).toContain('read-only');
    expect(err.message).toContain('privileged');
  });

  it('ENOENT after an export says the kernel did not create the line directory', () => {
    const err = sysfsFailure(errno('ENOENT', 'open', '/sys/class/gpio/gpio516/value'), { ...ctx, path: '/sys/class/gpio/gpio516/value' });
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect(err.message).toContain('did not create gpio516');
  });

  it('keeps the original error as the cause, and passes unknown errors through as HardwareError', () => {
    const original = errno('EIO');
    const err = sysfsFailure(original, ctx);
    expect(err).toBeInstanceOf(HardwareError);
    expect(err.cause).toBe(original);
  });

  it('a real EACCES names the file, its group and mode, and the fixes', () => {
    const exportFile = join(root, 'export');
    writeFileSync(exportFile, '');
    chownSync(exportFile, 0, 997);
    chmodSync(exportFile, 0o770);
    const groupFile = join(root, 'group');
    writeFileSync(groupFile, 'root:x:0:\ngpio:x:997:pi\n');
    const real = asNobody(() => {
      try {
        closeSync(openSync(exportFile, constants.O_WRONLY));
      } catch (err) {
        return err;
      }
      return undefined;
    });
    expect((real as NodeJS.ErrnoException | undefined)?.code).toBe('EACCES');
    const err = sysfsFailure(real, { action: 'exporting GPIO4', path: exportFile, sysfsGpio: root, groupFile });
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect(err.message).toContain(`may not write ${exportFile} (owned by uid 0, group gpio (gid 997), mode 0770)`);
    expect(err.message).toContain('usermod -aG gpio');
    expect(err.message).toContain('privileged pod with /sys mounted read-write');
  });
});

describe('checkExportWritable', () => {
  it('passes when the export file is writable', () => {
    writeFileSync(join(root, 'export'), '');
    expect(() => checkExportWritable(root)).not.toThrow();
  });

  it('fails early with the permission explanation for a user who may not export', () => {
    mkdirSync(join(root, 'gpio'));
    chmodSync(join(root, 'gpio'), 0o755);
    const exportFile = join(root, 'gpio', 'export');
    writeFileSync(exportFile, '');
    chownSync(exportFile, 0, 20);
    chmodSync(exportFile, 0o770);
    const err = asNobody(() => {
      try {
        checkExportWritable(join(root, 'gpio'));
      } catch (e) {
        return e as Error;
      }
      return undefined;
    });
    expect(err).toBeInstanceOf(BackendUnavailableError);
    const g = groupName(20);
    expect(err?.message).toContain(`group ${g ? `${g} (gid 20)` : 'gid 20'}, mode 0770`);
    expect(err?.message).toContain('uid 65534');
  });
});

describe('groupName', () => {
  it('reads names from an /etc/group-format file', () => {
    const f = join(root, 'group');
    writeFileSync(f, 'root:x:0:\n# comment\ngpio:x:997:pi,app\n');
    expect(groupName(997, f)).toBe('gpio');
    expect(groupName(0, f)).toBe('root');
    expect(groupName(5, f)).toBeUndefined();
    expect(groupName(997, join(root, 'missing'))).toBeUndefined();
  });
});
