export * from './binaries.js';
export * from './control-plane.js';
export * from './fleet.js';
export * from './kubeconfig.js';
export * from './pki.js';
export * from './state.js';
export * from './fleet-cluster.js';
