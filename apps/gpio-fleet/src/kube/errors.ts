// Failures talking to Kubernetes, each with its own exit code so scripts can tell them apart.
// The table is also printed by --help (EXIT_CODES_HELP) and documented in the README.

export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  rolloutIncomplete: 3,
  noKubeconfig: 4,
  unreachable: 5,
  forbidden: 6,
  notFound: 7,
} as const;

export const EXIT_CODES_HELP = [
  'Exit codes:',
  '  0 ok',
  '  1 other failure (including a reading that could not be taken)',
  '  2 invalid flag or argument',
  '  3 rollout incomplete (status), a problem found (doctor)',
  '  4 no kubeconfig found (--kubeconfig, KUBECONFIG, ~/.kube/config, in-cluster)',
  '  5 API server unreachable (connection refused, DNS, TLS, timeout)',
  '  6 forbidden by RBAC (or unauthorized credentials)',
  '  7 unknown node',
].join('\n');

export class KubeError extends Error {
  override readonly name = 'KubeError';
  constructor(
    message: string,
    readonly exitCode: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

interface ApiExceptionLike {
  code: number;
  body: unknown;
}

function isApiException(e: unknown): e is ApiExceptionLike {
  return typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'number' && 'body' in e;
}

/** An error the API client threw for an HTTP answer: its status code and body. */
export const isApiError = isApiException;

/** Whether an answer's body is a Kubernetes Status object (the API server's own refusals are). */
export function isStatusBody(body: unknown): boolean {
  let b = body;
  if (typeof body === 'string') {
    try {
      b = JSON.parse(body);
    } catch {
      return false;
    }
  }
  return typeof b === 'object' && b !== null && (b as { kind?: unknown }).kind === 'Status';
}

/** The server's Status message out of an ApiException body (a JSON string or an object). */
function statusMessage(body: unknown): string | undefined {
  let b = body;
  if (typeof body === 'string') {
    try {
      b = JSON.parse(body);
    } catch {
      return body.trim() || undefined;
    }
  }
  if (typeof b === 'object' && b !== null && typeof (b as { message?: unknown }).message === 'string') return (b as { message: string }).message;
  return undefined;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_HAS_EXPIRED']);

function networkCode(e: unknown): string | undefined {
  for (let cur: unknown = e, depth = 0; cur && depth < 5; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
    const errno = (cur as { errno?: unknown }).errno;
    if (typeof errno === 'string' && NETWORK_CODES.has(errno)) return errno;
    cur = (cur as { cause?: unknown }).cause;
  }
  const msg = e instanceof Error ? e.message : '';
  const m = /(ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EHOSTUNREACH|ECONNRESET|EAI_AGAIN)/.exec(msg);
  return m?.[1];
}

/**
 * Turns whatever the client library threw into a KubeError with the right exit code and a
 * message a user can act on. `what` says what was being done ("list nodes").
 */
export function classify(e: unknown, what: string, server: string | undefined): KubeError {
  if (e instanceof KubeError) return e;
  if (isApiException(e)) {
    const msg = statusMessage(e.body) ?? `HTTP ${e.code}`;
    if (e.code === 403) return new KubeError(`forbidden: cannot ${what}: ${msg} (RBAC: see deploy/rbac in the gpio-fleet repository for the roles each command needs)`, EXIT.forbidden, { cause: e });
    if (e.code === 401) return new KubeError(`unauthorized: the API server at ${server ?? '?'} rejected the credentials while trying to ${what}: ${msg}`, EXIT.forbidden, { cause: e });
    if (e.code === 404) return new KubeError(`not found: ${what}: ${msg}`, EXIT.notFound, { cause: e });
    return new KubeError(`cannot ${what}: ${msg} (HTTP ${e.code})`, EXIT.failure, { cause: e });
  }
  const net = networkCode(e);
  if (net) return new KubeError(`cannot reach the API server at ${server ?? '?'} (${net}) while trying to ${what}; is the cluster running and the kubeconfig right?`, EXIT.unreachable, { cause: e });
  const msg = e instanceof Error ? e.message : String(e);
  if (/fetch failed|socket hang up|request to .* failed/i.test(msg)) return new KubeError(`cannot reach the API server at ${server ?? '?'} while trying to ${what}: ${msg}`, EXIT.unreachable, { cause: e });
  return new KubeError(`cannot ${what}: ${msg}`, EXIT.failure, { cause: e });
}
