#!/usr/bin/env node
// `npm run demo`: both apps on the simulated GPIO, a day/night light cycle sped up to a few
// minutes, their status pages to watch, short readable log lines, and one Ctrl-C that stops
// both cleanly (each switches its outputs off first).
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const period = process.env.DEMO_DAY_LENGTH ?? '3m';
const apps = [
  { name: 'light-sensor', port: 9110, args: ['--mock-lux', `daynight:${period}:0.5:20000`, '--log-delta', '0.05'] },
  { name: 'traffic-light', port: 9111, args: [] },
];

// The pages first: they are what to look at. The log lines follow below them.
process.stdout.write(
  [
    '',
    'gpio-fleet demo: both apps on the simulated GPIO backend. Open the status pages:',
    '',
    `  light-sensor   http://127.0.0.1:9110/   the light level live; a day lasts ${period} (DEMO_DAY_LENGTH changes it)`,
    '  traffic-light  http://127.0.0.1:9111/   the lamps as the GPIO drives them',
    '',
    'Each page has a lux slider or fault buttons for the simulated world, and links to /metrics.',
    'Press Ctrl-C to stop both.',
    '',
    '',
  ].join('\n'),
);

// The app's name in front of each line keeps the two streams apart; coloured on a terminal.
const colour = process.stdout.isTTY && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
const tag = (app, i) => (colour ? `\x1b[${i === 0 ? 36 : 35}m${app.name.padEnd(13)}\x1b[0m` : app.name.padEnd(13));

const children = apps.map((app, i) => {
  const child = spawn(
    process.execPath,
    [join(root, 'apps', app.name, 'dist', 'cli.js'), '--gpio', 'mock', '--port', String(app.port), '--log-format', 'pretty', ...app.args],
    { stdio: ['ignore', 'inherit', 'pipe'] },
  );
  let buffered = '';
  child.stderr.on('data', (chunk) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop();
    for (const line of lines) process.stdout.write(`${tag(app, i)} | ${line}\n`);
  });
  child.on('exit', (code, signal) => {
    process.stdout.write(`${tag(app, i)} | exited (${signal ?? `code ${code}`})\n`);
    if (!stopping && code !== 0) stop(code ?? 1);
  });
  return child;
});

let stopping = false;
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  Promise.all(children.map((c) => (c.exitCode !== null ? null : new Promise((r) => c.on('exit', r))))).then(() => process.exit(code));
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
