// Image configuration as buildah arguments: who the process runs as, what it runs, and the OCI
// labels. Pure, so tests can check the exact flags without building anything.
import { APP_DIR, NODE_IMAGE_PATH, NONROOT_UID } from './rootfs.js';
import type { ImagePlatform } from './platforms.js';

export interface AppImageMetadata {
  app: string;
  version: string;
  description: string;
  /** Git commit the image is built from (omitted from the labels when unknown). */
  revision?: string;
  /** Repository URL (omitted from the labels when unknown). */
  source?: string;
  licenses: string;
  /** Port the app listens on by default (documented via EXPOSE); none for a plain CLI. */
  port: number | undefined;
  /** The bundle's file name inside /app, e.g. "light-sensor.cjs". */
  entry: string;
}

export function appLabels(m: AppImageMetadata): Record<string, string> {
  const labels: Record<string, string> = {
    'org.opencontainers.image.title': m.app,
    'org.opencontainers.image.description': m.description,
    'org.opencontainers.image.version': m.version,
    'org.opencontainers.image.licenses': m.licenses,
  };
  if (m.revision) labels['org.opencontainers.image.revision'] = m.revision;
  if (m.source) labels['org.opencontainers.image.source'] = m.source;
  return labels;
}

/** `buildah config` flags for the OS/architecture fields of either layer's image. */
export function platformConfigArgs(p: ImagePlatform): string[] {
  return ['--os', p.os, '--arch', p.architecture, ...(p.variant ? ['--variant', p.variant] : [])];
}

/** `buildah config` flags for an app image. */
export function appConfigArgs(m: AppImageMetadata, p: ImagePlatform): string[] {
  const args = [
    ...platformConfigArgs(p),
    // Numeric, so it works without resolving names and satisfies runAsNonRoot checks.
    '--user', `${NONROOT_UID}:${NONROOT_UID}`,
    // Exec form, no shell: node is PID 1 and receives SIGTERM itself (the apps handle it).
    '--entrypoint', JSON.stringify([NODE_IMAGE_PATH, `${APP_DIR}/${m.entry}`]),
    '--workingdir', APP_DIR,
    '--stop-signal', 'SIGTERM',
    // The GPIO backends load onoff/epoll from $GPIO_FLEET_NATIVE_DIR/node_modules first.
    '--env', `GPIO_FLEET_NATIVE_DIR=${APP_DIR}`,
    ...(m.port === undefined ? [] : ['--port', `${m.port}/tcp`]),
  ];
  for (const [k, v] of Object.entries(appLabels(m))) args.push('--label', `${k}=${v}`);
  return args;
}
