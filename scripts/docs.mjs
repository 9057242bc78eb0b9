#!/usr/bin/env node
// `npm run docs`: regenerate the flag/env tables in each app's README from its option
// declarations (the apps' tests fail when a README is stale). Needs `npm run build` first.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderOptionsTable, replaceBlock } from '@gpio-fleet/cli-kit';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
for (const app of ['light-sensor', 'traffic-light', 'gpio-device-plugin']) {
  const readme = join(root, 'apps', app, 'README.md');
  const { options } = await import(`@gpio-fleet/${app}/options`);
  writeFileSync(readme, replaceBlock(readFileSync(readme, 'utf8'), `options:${app}`, renderOptionsTable(options)));
  console.log(`apps/${app}/README.md option table regenerated`);
}
