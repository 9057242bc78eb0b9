// Certificates for a throwaway control plane, made with Debian's openssl: one CA, the API
// server's serving certificate for 127.0.0.1, the service-account signing key, and client
// certificates (the CN is the user, each O a group, as the API server reads them).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function openssl(args: string[], cwd: string): void {
  const res = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (res.error) throw new Error(`cannot run openssl (apt-get install openssl): ${res.error.message}`);
  if (res.status !== 0) throw new Error(`openssl ${args.join(' ')} failed:\n${res.stderr}`);
}

export interface Pki {
  dir: string;
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
  serviceAccountKey: string;
  serviceAccountPub: string;
}

export interface ClientCert {
  cert: string;
  key: string;
}

const DAYS = '30';

/** A CA, the API server's certificate and the service-account key pair under `dir`. */
export function createPki(dir: string): Pki {
  mkdirSync(dir, { recursive: true });
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', DAYS, '-subj', '/CN=gpio-fleet-test-ca'], dir);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'apiserver.key', '-out', 'apiserver.csr', '-subj', '/CN=kube-apiserver'], dir);
  // The in-cluster name of the API server and its Service IP too, as a real one would carry.
  const san = 'subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc\nextendedKeyUsage=serverAuth\n';
  const ext = join(dir, 'apiserver.ext');
  writeFileSync(ext, san);
  openssl(['x509', '-req', '-in', 'apiserver.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'apiserver.crt', '-days', DAYS, '-extfile', 'apiserver.ext'], dir);
  openssl(['genrsa', '-out', 'sa.key', '2048'], dir);
  openssl(['rsa', '-in', 'sa.key', '-pubout', '-out', 'sa.pub'], dir);
  return {
    dir,
    caCert: join(dir, 'ca.crt'),
    caKey: join(dir, 'ca.key'),
    serverCert: join(dir, 'apiserver.crt'),
    serverKey: join(dir, 'apiserver.key'),
    serviceAccountKey: join(dir, 'sa.key'),
    serviceAccountPub: join(dir, 'sa.pub'),
  };
}

/**
 * A serving certificate for host `name` at `ips` (a kubelet's, which the API server verifies
 * with --kubelet-certificate-authority), signed by the test CA.
 */
export function issueServingCert(pki: Pick<Pki, 'dir'>, name: string, ips: readonly string[]): ClientCert {
  const base = `${name.replace(/[^\w.-]/g, '_')}-serving`;
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${base}.key`, '-out', `${base}.csr`, '-subj', `/CN=${name}`], pki.dir);
  writeFileSync(join(pki.dir, `${base}.ext`), `subjectAltName=${[...ips.map((ip) => `IP:${ip}`), `DNS:${name}`].join(',')}\nextendedKeyUsage=serverAuth\n`);
  openssl(['x509', '-req', '-in', `${base}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${base}.crt`, '-days', DAYS, '-extfile', `${base}.ext`], pki.dir);
  return { cert: join(pki.dir, `${base}.crt`), key: join(pki.dir, `${base}.key`) };
}

/** A client certificate for user `name` in `groups`, signed by the test CA. */
export function issueClientCert(pki: Pick<Pki, 'dir'>, name: string, groups: readonly string[] = []): ClientCert {
  const base = name.replace(/[^\w.-]/g, '_');
  const subj = `${groups.map((g) => `/O=${g}`).join('')}/CN=${name}`;
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${base}.key`, '-out', `${base}.csr`, '-subj', subj], pki.dir);
  const ext = join(pki.dir, `${base}.ext`);
  writeFileSync(ext, 'extendedKeyUsage=clientAuth\n');
  openssl(['x509', '-req', '-in', `${base}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${base}.crt`, '-days', DAYS, '-extfile', `${base}.ext`], pki.dir);
  return { cert: join(pki.dir, `${base}.crt`), key: join(pki.dir, `${base}.key`) };
}
