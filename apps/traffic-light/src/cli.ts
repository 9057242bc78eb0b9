#!/usr/bin/env node
import { runCli } from '@gpio-fleet/cli-kit';
import { main } from './main.js';
import { options } from './options.js';
import { VERSION } from './version.js';

// Not awaited at the top level: the standalone executables run this as CommonJS.
void runCli(
  {
    name: 'traffic-light',
    version: VERSION,
    usage: 'traffic-light [options]',
    summary:
      'Drives red, amber and green LEDs through a traffic-light sequence (default: red 3s, red+amber 1s, green 5s, amber 2s). Starts with every lamp off; on SIGTERM or SIGINT it switches every lamp off, releases the pins and exits 0. Serves /metrics (Prometheus), /healthz and /readyz. Every flag can also be set by its environment variable; flags win.',
    footer: [
      'Pins: WPI13 = BOARD21 = BCM9 (the default red) etc.; a bare number is BCM.',
      'Exit codes: 0 ok (stopped or --cycles done), 1 runtime, backend or lamp failure, 2 invalid flag, env or pin.',
      'Examples:',
      '  traffic-light --gpio mock --cycles 1',
      '  traffic-light --gpio mock --phases red:2s,green:2s,amber:500ms',
    ].join('\n'),
  },
  options,
  main,
);
