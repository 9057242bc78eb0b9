// The state file of the hand-started control plane (`npm run cluster:up`), so
// `npm run cluster:down` in another shell can find and stop it.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot } from '@gpio-fleet/test-tools/provision';
import type { ControlPlaneState } from './control-plane.js';

export function stateFile(): string {
  return join(cacheRoot(), 'cluster', 'state.json');
}

export function readState(): ControlPlaneState | undefined {
  const f = stateFile();
  if (!existsSync(f)) return undefined;
  return JSON.parse(readFileSync(f, 'utf8')) as ControlPlaneState;
}

export function writeState(state: ControlPlaneState): void {
  mkdirSync(join(stateFile(), '..'), { recursive: true });
  writeFileSync(stateFile(), `${JSON.stringify(state, null, 2)}\n`);
}

export function clearState(): void {
  rmSync(stateFile(), { force: true });
}
