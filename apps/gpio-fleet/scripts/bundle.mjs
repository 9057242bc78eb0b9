#!/usr/bin/env node
// Makes dist/cli.js, the command, one file: the Kubernetes client is hundreds of modules, and
// Node resolving and reading them was most of a short command's time (a `gpio-fleet label` on
// a loaded 2-core machine took 2 s before it sent its first request, about 1 s bundled). tsc's
// output stays beside it for the library entry (dist/index.js).
//   node scripts/bundle.mjs      (after tsc; npm run build runs both)
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

await build({
  entryPoints: [cli],
  outfile: cli,
  allowOverwrite: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  // Some of the client's dependencies are CommonJS and call require().
  banner: { js: "import { createRequire as gpioFleetRequire } from 'node:module'; const require = gpioFleetRequire(import.meta.url);" },
  logLevel: 'warning',
});
