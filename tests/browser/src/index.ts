// Public surface of @gpio-fleet/browser-tests: a real, headless Chromium for any suite that
// checks a status page (this one, and the pod-proxy scenario in tests/cluster).
export * from './chromium.js';
