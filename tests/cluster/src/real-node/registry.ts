// The node's OCI registry (github.com/distribution/distribution/v3, built from its module) on
// 127.0.0.1: containerd pulls the pause image and our images from it, and its access log shows
// exactly what a node fetched (method, path, status and bytes of every request).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** The registry's configuration: filesystem storage, deletes allowed, the access log on stdout. */
export function registryConfigYaml(o: { dataDir: string; host: string }): string {
  return [
    'version: 0.1',
    'log:',
    '  level: info',
    // The service's own log as JSON; the access log stays in Apache combined format (below).
    '  formatter: json',
    '  accesslog:',
    '    disabled: false',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${o.dataDir}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: ${o.host}`,
    '',
  ].join('\n');
}

/** One request for a manifest or a blob, from the access log. */
export interface RegistryFetch {
  method: 'GET' | 'HEAD';
  repository: string;
  kind: 'manifests' | 'blobs';
  /** A tag or a digest. */
  reference: string;
  status: number;
  /** Body bytes sent (0 for HEAD). */
  bytes: number;
  userAgent: string;
}

// host - - [time] "GET /v2/<repository>/<manifests|blobs>/<reference> HTTP/1.1" status bytes "referer" "agent"
const ACCESS_LINE = /"(GET|HEAD) \/v2\/(\S+)\/(manifests|blobs)\/(\S+) HTTP\/[\d.]+" (\d{3}) (\d+|-) "[^"]*" "([^"]*)"/;

/** The manifest and blob requests in a stretch of the access log (other lines are skipped). */
export function parseAccessLog(text: string): RegistryFetch[] {
  const out: RegistryFetch[] = [];
  for (const line of text.split('\n')) {
    const m = ACCESS_LINE.exec(line);
    if (!m) continue;
    out.push({
      method: m[1] as RegistryFetch['method'],
      repository: m[2]!,
      kind: m[3] as RegistryFetch['kind'],
      reference: decodeURIComponent(m[4]!),
      status: Number(m[5]),
      bytes: m[6] === '-' ? 0 : Number(m[6]),
      userAgent: m[7]!,
    });
  }
  return out;
}

/** Bytes sent for successful GETs: what the client downloaded. */
export function bytesFetched(fetches: readonly RegistryFetch[]): number {
  return fetches.filter((f) => f.method === 'GET' && f.status >= 200 && f.status < 300).reduce((n, f) => n + f.bytes, 0);
}

export interface RegistryLog {
  /** A mark: the log's length now. */
  mark(): number;
  /** The fetches logged since `mark`. */
  since(mark: number): RegistryFetch[];
}

export function registryLog(file: string): RegistryLog {
  const read = () => readFileSync(file);
  return {
    mark: () => read().length,
    since: (mark) => parseAccessLog(read().subarray(mark).toString('utf8')),
  };
}

/**
 * Pushes the image named `layoutRef` in an OCI layout to `<registry>/<repository>:<tag>` with
 * skopeo. `--all` keeps every platform of a multi-platform index. Plain HTTP: the registry is on
 * loopback. Not for zstd layouts: uploadLayout (upload-layout.ts) says why.
 */
export function pushImage(skopeo: string, o: { layout: string; layoutRef: string; registry: string; repository: string; tag: string; all?: boolean }): void {
  const args = ['copy', '--quiet', ...(o.all === false ? [] : ['--all']), '--dest-tls-verify=false', `oci:${o.layout}:${o.layoutRef}`, `docker://${o.registry}/${o.repository}:${o.tag}`];
  const r = spawnSync(skopeo, args, { encoding: 'utf8' });
  if (r.error) throw new Error(`cannot run skopeo (${skopeo}): ${r.error.message}`);
  if (r.status !== 0) throw new Error(`skopeo ${args.join(' ')} failed (exit ${r.status}):\n${r.stderr}`);
}
