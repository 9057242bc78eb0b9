#!/usr/bin/env node
// `npm run docs`: regenerate the flag/env tables in README.md from the apps' option
// declarations (the apps' tests fail when the README is stale). Needs `npm run build` first.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderOptionsTable, replaceBlock } from '@gpio-fleet/cli-kit';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const readme = join(root, 'README.md');
let doc = readFileSync(readme, 'utf8');
for (const app of ['light-sensor', 'traffic-light']) {
  const { options } = await import(`@gpio-fleet/${app}/options`);
  doc = replaceBlock(doc, `options:${app}`, renderOptionsTable(options));
}
writeFileSync(readme, doc);
console.log('README.md option tables regenerated');
