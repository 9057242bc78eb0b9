// A new user's checkout: a clone of HEAD in a temporary directory, then the README's set-up
// commands, `npm ci && npm run build`, with their output kept for the failure message.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '@gpio-fleet/test-tools';

export interface FreshClone {
  dir: string;
  /** The environment of a user's shell in it (no npm variables of the test run). */
  env: NodeJS.ProcessEnv;
  remove(): void;
}

/** The test runs under `npm test`, which exports npm_* variables a user's shell does not have. */
export function userEnvironment(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(base)) {
    if (/^npm_/i.test(k) || k === 'INIT_CWD' || k === 'NODE' || k.startsWith('VITEST') || k === 'TURBO_HASH') continue;
    env[k] = v;
  }
  return env;
}

function step(dir: string, env: NodeJS.ProcessEnv, command: string, args: string[]): void {
  const t0 = Date.now();
  process.stderr.write(`[readme] $ ${command} ${args.join(' ')}\n`);
  const r = spawnSync(command, args, { cwd: dir, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) {
    throw new Error(`"${command} ${args.join(' ')}" failed in the fresh clone (exit ${r.status ?? r.signal}):\n${(r.stdout + r.stderr).slice(-6000)}`);
  }
  process.stderr.write(`[readme]   done in ${Math.round((Date.now() - t0) / 1000)} s\n`);
}

export function freshClone(): FreshClone {
  const dir = mkdtempSync(join(tmpdir(), 'gpio-fleet-readme-'));
  const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
  const env = userEnvironment();
  // node-gyp builds pigpio and epoll during `npm ci`; with no network but the registries it
  // must find the local Node headers instead of downloading them (as .ci/run does).
  const installEnv = { ...env, ...(existsSync('/usr/include/node/node.h') && !env.npm_config_nodedir ? { npm_config_nodedir: '/usr' } : {}) };
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    step(tmpdir(), env, 'git', ['clone', '-q', REPO_ROOT, dir]);
    process.stderr.write(`[readme] fresh clone of HEAD ${head} in ${dir}\n`);
    step(dir, installEnv, 'npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline']);
    step(dir, env, 'npm', ['run', 'build']);
  } catch (e) {
    remove();
    throw e;
  }
  return { dir, env, remove };
}
