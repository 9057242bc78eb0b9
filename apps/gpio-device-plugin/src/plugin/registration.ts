// One Register call to the kubelet. The kubelet dials our socket and starts ListAndWatch
// before it answers, so a successful call means the kubelet is watching our devices.
import { accessSync, constants, lstatSync } from 'node:fs';
import { dirname } from 'node:path';
import { API_VERSION, connect, REGISTRATION_SERVICE, unaryCall, type Empty, type RegisterRequest } from '../api/deviceplugin.js';
import { PLUGIN_OPTIONS } from './plugin-server.js';

export interface Registration {
  kubeletSocket: string;
  /** Our socket's file name in the same directory. */
  endpoint: string;
  resource: string;
}

/** The request we send. */
export const registerRequest = (r: Registration): RegisterRequest => ({
  version: API_VERSION,
  endpoint: r.endpoint,
  resourceName: r.resource,
  options: PLUGIN_OPTIONS,
});

/**
 * Why the kubelet's socket cannot be used from here, or undefined when it can be tried: it is
 * missing (no kubelet yet, or the wrong --kubelet-dir), or this user may not reach it.
 */
export function kubeletSocketProblem(socket: string): Error | undefined {
  try {
    if (!lstatSync(socket).isSocket()) return new Error(`${socket} is not a socket`);
    // Connecting needs write permission on the socket, and our own socket needs it on the
    // directory: the kubelet makes both root's alone.
    accessSync(socket, constants.W_OK);
    accessSync(dirname(socket), constants.W_OK);
    return undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return new Error(`${socket} does not exist (is the kubelet running, and is --kubelet-dir the directory that holds its device-plugins/?)`);
    if (code === 'EACCES' || code === 'EPERM') {
      return new Error(
        `permission denied reaching ${socket} as uid ${process.getuid?.() ?? '?'}: only root may write to the kubelet's socket and its device-plugins directory, so the plugin must run as uid 0 (it needs no capabilities)`,
      );
    }
    return new Error(`cannot reach ${socket}: ${code ?? String(err)}`);
  }
}

/** Registers once; rejects with a message that says what is missing or what the kubelet said. */
export async function register(r: Registration, timeoutMs = 10_000, signal?: AbortSignal): Promise<void> {
  const problem = kubeletSocketProblem(r.kubeletSocket);
  if (problem) throw problem;
  const client = connect(r.kubeletSocket);
  try {
    await unaryCall<RegisterRequest, Empty>(client, REGISTRATION_SERVICE, 'Register', registerRequest(r), timeoutMs, signal);
  } catch (err) {
    throw new Error(`Register at ${r.kubeletSocket} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  } finally {
    client.close();
  }
}
