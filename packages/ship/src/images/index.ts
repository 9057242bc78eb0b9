// @gpio-fleet/ship/images: reading what the image build wrote (OCI layouts, layer sizes, where
// each compression's layouts go) under the build's own lock, for tools that report on the
// images or push them (the bench, the real-node tests).
export * from './build-lock.js';
export * from './compression.js';
export * from './layer-sizes.js';
export * from './oci-layout.js';
