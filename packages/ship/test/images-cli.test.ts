// `build:images` options, through the built command as a user runs it: bad input exits 2 with
// the value and the accepted forms, before anything is built or installed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../dist/images/cli.js', import.meta.url));
const dist = mkdtempSync(join(tmpdir(), 'images-cli-test-'));
const buildImages = (args: string[]) => spawnSync(process.execPath, [cli, '--dist', dist, ...args], { encoding: 'utf8', timeout: 60_000 });

afterAll(() => rmSync(dist, { recursive: true, force: true }));

describe('build-images options', () => {
  it('--compression brotli exits 2 naming the value and the accepted forms, and builds nothing', () => {
    const r = buildImages(['--compression', 'brotli']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--compression "brotli" is not a layer compression: expected one of gzip, zstd');
    expect(readdirSync(dist)).toEqual([]);
  });

  it('an unknown platform exits 2 too', () => {
    const r = buildImages(['--arch', 'riscv64']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown image platform "riscv64": expected one of linux/amd64, linux/arm64, linux/arm/v7');
  });

  it('--icu small exits 2 naming the value and the accepted forms, and builds nothing', () => {
    const r = buildImages(['--icu', 'small']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--icu "small": expected one of en, full');
    expect(readdirSync(dist)).toEqual([]);
  });

  it('--help documents --icu and what English-only means for Intl', () => {
    const r = buildImages(['--help']);
    expect(r.stdout).toMatch(/--icu <data> +ICU data of the images' node, one of en, full \(default: en\)/);
    expect(r.stdout).toContain('resolves any other locale to en-US');
  });

  it('--help documents --compression, where each goes and who can pull zstd', () => {
    const r = buildImages(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/--compression <c> +layer compression, one of gzip, zstd \(default: gzip\)/);
    expect(r.stdout).toContain('<dist>/images-zstd/<app>');
    expect(r.stdout).toContain('containerd >= 1.5');
  });
});
