#!/usr/bin/env node
// gpio-fleet <command>: dispatches to a command, with --help for the tool and every command,
// and one exit code per kind of failure (see EXIT_CODES_HELP).
import './no-deprecation-warnings.js';
import { main } from './main.js';

// Not awaited at the top level: the standalone executable and the image run this as CommonJS.
void main(process.argv.slice(2), process.env).then((code) => {
  process.exitCode = code;
});
