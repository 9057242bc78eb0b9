// A tool is built once even when two runs need it at the same moment.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tryLock, unlock, withBuildLock } from '../src/provision/build-lock.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const quiet = () => undefined;

describe('build lock', () => {
  it('a second build of the same tool waits for the first and then does not build', async () => {
    dir = mkdtempSync(join(tmpdir(), 'build-lock-'));
    const lock = join(dir, 'bin.lock');
    const product = join(dir, 'tool');
    // Another process takes the lock, "builds" for 1.5 s, then writes the product.
    const other = spawn(process.execPath, [
      '-e',
      `const fs=require('fs');fs.mkdirSync(${JSON.stringify(lock)});fs.writeFileSync(${JSON.stringify(join(lock, 'pid'))},String(process.pid));` +
        `setTimeout(()=>{fs.writeFileSync(${JSON.stringify(product)},'built by the other');fs.rmSync(${JSON.stringify(lock)},{recursive:true});},1500);`,
    ]);
    const exited = new Promise((r) => other.on('exit', r));
    while (!existsSync(join(lock, 'pid'))) await new Promise((r) => setTimeout(r, 20));
    let builds = 0;
    const t0 = Date.now();
    const result = withBuildLock(lock, 'tool v1', () => (existsSync(product) ? readFileSync(product, 'utf8') : undefined), () => {
      builds++;
      return 'built here';
    }, quiet);
    expect(result).toBe('built by the other');
    expect(builds).toBe(0);
    expect(Date.now() - t0).toBeGreaterThan(1000);
    expect(existsSync(lock)).toBe(false);
    await exited;
  });

  it('a lock left by a builder that died is taken over', () => {
    dir = mkdtempSync(join(tmpdir(), 'build-lock-'));
    const lock = join(dir, 'bin.lock');
    mkdirSync(lock);
    writeFileSync(join(lock, 'pid'), '999999999'); // no such process
    expect(withBuildLock(lock, 'tool v1', () => undefined, () => 'built', quiet)).toBe('built');
    expect(existsSync(lock)).toBe(false);
  });

  it('the lock is released when the build fails', () => {
    dir = mkdtempSync(join(tmpdir(), 'build-lock-'));
    const lock = join(dir, 'bin.lock');
    expect(() => withBuildLock(lock, 'tool v1', () => undefined, () => { throw new Error('go failed'); }, quiet)).toThrow('go failed');
    expect(existsSync(lock)).toBe(false);
  });

  it('tryLock names a live holder and leaves its lock alone; unlock frees it', () => {
    dir = mkdtempSync(join(tmpdir(), 'build-lock-'));
    const lock = join(dir, 'images.lock');
    mkdirSync(lock);
    writeFileSync(join(lock, 'pid'), String(process.ppid)); // alive: the process that started this one
    expect(tryLock(lock)).toBe(process.ppid);
    expect(readFileSync(join(lock, 'pid'), 'utf8')).toBe(String(process.ppid));
    unlock(lock);
    expect(tryLock(lock)).toBeUndefined();
    expect(readFileSync(join(lock, 'pid'), 'utf8')).toBe(String(process.pid));
    unlock(lock);
    expect(existsSync(lock)).toBe(false);
  });
});
