// A real node for the test control plane (see real-node.ts), and the pure pieces its tests use.
export * from './binaries.js';
export * from './cleanup.js';
export * from './containerd.js';
export * from './host-state.js';
export * from './images.js';
export * from './kubelet.js';
export * from './node-state.js';
export * from './pause-image.js';
export * from './pod-network.js';
export * from './processes.js';
export * from './real-node.js';
export * from './registry.js';
export * from './service-proxy.js';
export * from './unpacked-layers.js';
export * from './upload-layout.js';
