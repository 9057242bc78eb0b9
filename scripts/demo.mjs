#!/usr/bin/env node
// `npm run demo`: both apps on the simulated GPIO, a day/night light cycle sped up to a few
// minutes, and one Ctrl-C that stops both cleanly (each switches its outputs off first).
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const period = process.env.DEMO_DAY_LENGTH ?? '3m';
const apps = [
  { name: 'light-sensor', port: 9110, args: ['--mock-lux', `daynight:${period}:0.5:20000`, '--log-delta', '0.05'] },
  { name: 'traffic-light', port: 9111, args: [] },
];

const children = apps.map((app) => {
  const child = spawn(process.execPath, [join(root, 'apps', app.name, 'dist', 'cli.js'), '--gpio', 'mock', '--port', String(app.port), ...app.args], {
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  // Prefix each JSON log line with the app name so the two streams stay readable.
  let buffered = '';
  child.stderr.on('data', (chunk) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop();
    for (const line of lines) process.stdout.write(`${app.name.padEnd(13)} | ${line}\n`);
  });
  child.on('exit', (code, signal) => {
    process.stdout.write(`${app.name.padEnd(13)} | exited (${signal ?? `code ${code}`})\n`);
    if (!stopping && code !== 0) stop(code ?? 1);
  });
  return child;
});

process.stdout.write(
  [
    '',
    'gpio-fleet demo: both apps on the simulated GPIO backend',
    `  light-sensor   http://127.0.0.1:9110/metrics   (a day lasts ${period}; set DEMO_DAY_LENGTH to change it)`,
    '                 curl -X PUT --data 1000 http://127.0.0.1:9110/mock/lux   to switch on a lamp',
    '  traffic-light  http://127.0.0.1:9111/metrics',
    'Press Ctrl-C to stop both.',
    '',
  ].join('\n'),
);

let stopping = false;
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  Promise.all(children.map((c) => (c.exitCode !== null ? null : new Promise((r) => c.on('exit', r))))).then(() => process.exit(code));
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
