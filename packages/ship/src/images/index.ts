// @gpio-fleet/ship/images: reading what the image build wrote (OCI layouts, layer sizes) under
// the build's own lock, for tools that report on the images (the bench).
export * from './build-lock.js';
export * from './layer-sizes.js';
export * from './oci-layout.js';
