// Telling that the kubelet restarted. A starting kubelet deletes every socket in its
// device-plugins directory (ours too) and creates kubelet.sock anew; it then knows no plugin
// until each registers again. So the plugin compares the socket it registered with to the one
// there now: a new inode or change time, or a missing socket, means "serve anew and register".
import { lstatSync } from 'node:fs';
import { join } from 'node:path';

export const KUBELET_SOCKET = 'kubelet.sock';

/** <kubelet dir>/device-plugins */
export const devicePluginsDir = (kubeletDir: string): string => join(kubeletDir, 'device-plugins');

/** The kubelet's registration socket. */
export const kubeletSocket = (kubeletDir: string): string => join(devicePluginsDir(kubeletDir), KUBELET_SOCKET);

/** The plugin's own socket file name: one per resource, so two plugins never collide. */
export const pluginSocketName = (resource: string): string => `${resource.replace(/[^A-Za-z0-9_.-]/g, '_')}.sock`;

/** Which socket is at `path` now (undefined: none). Equal strings mean the same socket. */
export function socketIdentity(path: string): string | undefined {
  try {
    const st = lstatSync(path, { bigint: true });
    return st.isSocket() ? `${st.dev}:${st.ino}:${st.ctimeNs}` : undefined;
  } catch {
    return undefined;
  }
}
