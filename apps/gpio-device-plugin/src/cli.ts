#!/usr/bin/env node
import { runCli } from '@gpio-fleet/cli-kit';
import { main } from './main.js';
import { options } from './options.js';
import { VERSION } from './version.js';

// Not awaited at the top level: the standalone executables run this as CommonJS.
void runCli(
  {
    name: 'gpio-device-plugin',
    version: VERSION,
    usage: 'gpio-device-plugin [options]',
    summary:
      "A Kubernetes device plugin for the Raspberry Pi's GPIO chip. It finds the 40-pin header's chip by its label, advertises it to the kubelet as one resource (default gpio-fleet.io/gpiochip) whatever the chip's number, and gives each pod that requests it the chip's device node and GPIO_CHIP, so the pod needs no privileges. Serves /metrics, /healthz and /readyz (ready while registered). Every flag can also be set by its environment variable; flags win.",
    footer: [
      'Exit codes: 0 stopped by SIGTERM/SIGINT, 1 runtime failure, 2 invalid flag or env.',
      'Examples:',
      '  gpio-device-plugin                                   # on a Pi node: header chip by label',
      '  gpio-device-plugin --device-path /dev/gpiochip2      # another board: this node',
      '  gpio-device-plugin --once                            # what this node would hand out',
    ].join('\n'),
  },
  options,
  main,
);
