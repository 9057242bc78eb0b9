#!/usr/bin/env node
import { runCli } from '@gpio-fleet/cli-kit';
import { main } from './main.js';
import { options } from './options.js';
import { VERSION } from './version.js';

// Not awaited at the top level: the standalone executables run this as CommonJS.
void runCli(
  {
    name: 'light-sensor',
    version: VERSION,
    usage: 'light-sensor [options]',
    summary:
      'Measures light with an LDR and a capacitor on one GPIO pin (RC timing): drive the pin LOW to discharge, switch to input, and time the rising edge with the backend clock. Serves /metrics (Prometheus), /healthz and /readyz. Every flag can also be set by its environment variable; flags win.',
    footer: [
      'Pins: BOARD7 = J8:7 = BCM4 = GPIO4 = WPI7 all name the same pin; a bare number is BCM.',
      'Exit codes: 0 ok, 1 runtime or backend failure, 2 invalid flag, env or pin.',
      'Examples:',
      '  light-sensor --gpio mock --mock-lux 100 --once',
      '  light-sensor --gpio mock --mock-lux daynight:5m --port 9110',
    ].join('\n'),
  },
  options,
  main,
);
