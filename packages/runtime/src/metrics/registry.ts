// A bare registry with the node label, for tests and tools; services use an Exposition.
// NODE_NAME (from the downward API) becomes a label on every series, so a fleet-wide query
// can tell the Pis apart without relabelling.
import { Registry } from './prom.js';

export interface RegistryOptions {
  /** Value for the `node` label on every series; omitted when undefined. */
  nodeName?: string | undefined;
}

export function createRegistry(options: RegistryOptions = {}): Registry {
  const registry = new Registry();
  if (options.nodeName) registry.setDefaultLabels({ node: options.nodeName });
  return registry;
}
