#!/usr/bin/env node
// The `gpio-fleet-cluster` command. npm links a workspace's bin only if the file exists when it installs,
// and dist/ is built after `npm ci`, so the command is this file, which git keeps, and it
// loads the build.
import { existsSync } from 'node:fs';

const build = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(build)) {
  process.stderr.write('gpio-fleet-cluster: not built yet: run `npm run build` in the repository first\n');
  process.exit(1);
}
await import(build.href);
