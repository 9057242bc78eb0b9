// Library entry: the image build (src/images) and tests reuse these.
export * from './addons.js';
export * from './apps.js';
export * from './build.js';
export * from './bundle.js';
export * from './code-only-change.js';
export * from './elf.js';
export * from './format.js';
export * from './node-majors.js';
export * from './paths.js';
export * from './progress.js';
export * from './runtime.js';
export * from './sea.js';
export * from './targets.js';
export * from './toolchain.js';
