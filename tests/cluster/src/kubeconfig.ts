// Kubeconfig files for the test control plane: one per identity, certificates by path.
import { writeFileSync } from 'node:fs';
import type { ClientCert } from './pki.js';

export function kubeconfigYaml(server: string, caCert: string, user: string, client: ClientCert, namespace?: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: gpio-fleet-test',
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority: ${caCert}`,
    'users:',
    `- name: ${user}`,
    '  user:',
    `    client-certificate: ${client.cert}`,
    `    client-key: ${client.key}`,
    'contexts:',
    '- name: gpio-fleet-test',
    '  context:',
    '    cluster: gpio-fleet-test',
    `    user: ${user}`,
    ...(namespace ? [`    namespace: ${namespace}`] : []),
    'current-context: gpio-fleet-test',
    '',
  ].join('\n');
}

export function writeKubeconfig(path: string, server: string, caCert: string, user: string, client: ClientCert, namespace?: string): string {
  writeFileSync(path, kubeconfigYaml(server, caCert, user, client, namespace), { mode: 0o600 });
  return path;
}
