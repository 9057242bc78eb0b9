#!/usr/bin/env node
// gpio-fleet <command>: dispatches to a command, with --help for the tool and every command,
// and one exit code per kind of failure (see EXIT_CODES_HELP).
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2), process.env);
