// Public surface of @gpio-fleet/runtime: the runtime every GPIO service shares.
export * from './options/service-options.js';
export * from './gpio/start-gpio.js';
export * from './metrics/registry.js';
export * from './metrics/backend-info.js';
export * from './metrics/buckets.js';
export * from './metrics/exposition.js';
export * from './http/server.js';
export * from './http/json-route.js';
export * from './service/run-service.js';
