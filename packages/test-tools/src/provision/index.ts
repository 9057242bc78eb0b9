// @gpio-fleet/test-tools/provision: installing and building the real tools tests, benchmarks and
// the release build use. Imports nothing from vitest, so scripts and build tools can use it.
export { tryLock, unlock } from './build-lock.js';
export * from './cache.js';
export * from './debian.js';
export * from './go-install.js';
export * from './go-output.js';
export * from './go-toolchain.js';
export * from './kubernetes-module.js';
export * from './log.js';
export * from './node-tools.js';
export * from './python.js';
export * from './tools.js';
export * from './versions.js';
