// The gpiochip addon's view of the GPIO v2 uAPI, for every target it ships for: the source is
// compiled (syntax only) with each target's compiler, and src/uapi-layout.h pins every struct
// size, alignment, field offset and ioctl number the addon hands the kernel. A 32-bit ARM
// toolchain that laid the 64-bit fields out differently from x64 fails here, on the build
// machine, instead of on a Pi. The build script installs a missing cross compiler (as root).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const buildScript = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'native', 'gpiochip', 'build.mjs');

function checkLayout(target: string, cflags = ''): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [buildScript, '--check-layout', target], {
    encoding: 'utf8',
    env: { ...process.env, GPIOCHIP_CFLAGS: cflags },
    timeout: 10 * 60_000,
  });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe.each(['x64', 'arm64', 'armv7'])('gpiochip addon for linux-%s', (target) => {
  it('lays out the GPIO v2 uAPI structs and ioctl numbers exactly as the kernel does', () => {
    const r = checkLayout(target);
    expect(r.status, r.output).toBe(0);
    expect(r.output).toContain(`${target}: `);
    expect(r.output).toContain('GPIO uAPI layout as pinned in src/uapi-layout.h');
  }, 10 * 60_000);
});

describe('the layout pins', () => {
  it('fail the build when 64-bit fields lose their 8-byte alignment (structs packed to 4 bytes)', () => {
    const r = checkLayout('armv7', '-fpack-struct=4');
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('static assertion failed: "_Alignof(struct gpio_v2_line_event) is not 8"');
    expect(r.output).toContain('the GPIO uAPI layout differs from src/uapi-layout.h');
  }, 10 * 60_000);
});
