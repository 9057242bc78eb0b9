// Public surface of @gpio-fleet/cli-kit: what every command-line program of the project
// shares, with no dependency on GPIO or metrics.
export * from './options/usage-error.js';
export * from './options/duration.js';
export * from './options/options.js';
export * from './options/help.js';
export * from './logging/logger.js';
export * from './logging/log-format.js';
export * from './logging/colour.js';
export * from './logging/throttle.js';
export * from './lifecycle/lifecycle.js';
export * from './run-cli.js';
