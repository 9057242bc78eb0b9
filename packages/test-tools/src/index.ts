export * from './debian.js';
export * from './processes.js';
export * from './prometheus.js';
export * from './apps.js';
export * from './bad-input.js';
export * from './memory.js';
export * from './load.js';
