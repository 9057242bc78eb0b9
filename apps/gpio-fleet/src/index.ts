export * from './model/pi-detect.js';
export * from './model/node-summary.js';
export * from './model/label-plan.js';
export * from './model/rollout.js';
export * from './model/metrics-text.js';
export * from './output/table.js';
export * from './kube/errors.js';
export * from './kube/kubeconfig.js';
export { main, topHelp } from './main.js';
