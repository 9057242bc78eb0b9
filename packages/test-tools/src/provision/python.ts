// Python modules for tools that compare against Python code (the bench runs gpiozero). Debian's
// package when the archive has one; otherwise pip into a virtualenv in the cache, so the
// system's Python is never modified by pip.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot } from './cache.js';
import { debianHasCandidate, ensureDebianPackages } from './debian.js';
import { stderrLog, type Log } from './log.js';

/** Debian's interpreter: python3-* packages install into its dist-packages (a pyenv python3 on PATH would not see them). */
export const DEBIAN_PYTHON = '/usr/bin/python3';

export interface PythonModule {
  /** What `import` names. */
  module: string;
  debianPackage: string;
  pipPackage: string;
  /** Directory name of the fallback virtualenv under the cache root. */
  venv: string;
}

/** A python interpreter that imports `m.module`, installing it first when needed. */
export function ensurePythonModule(m: PythonModule, options: { log?: Log; env?: NodeJS.ProcessEnv } = {}): string {
  const log = options.log ?? stderrLog;
  if (debianHasCandidate(m.debianPackage)) {
    ensureDebianPackages([m.debianPackage], { log });
    return DEBIAN_PYTHON;
  }
  const venv = join(cacheRoot(options.env), m.venv);
  const py = join(venv, 'bin', 'python3');
  const stdio: ['ignore', number, number] = ['ignore', 2, 2];
  if (!existsSync(py)) {
    log(`${m.debianPackage} is not in this Debian archive: pip install ${m.pipPackage} into ${venv}`);
    ensureDebianPackages(['python3-venv'], { log });
    execFileSync(DEBIAN_PYTHON, ['-m', 'venv', venv], { stdio });
  }
  if (spawnSync(py, ['-c', `import ${m.module}`], { stdio: 'ignore' }).status !== 0) {
    execFileSync(py, ['-m', 'pip', 'install', '--quiet', m.pipPackage], { stdio });
  }
  return py;
}
