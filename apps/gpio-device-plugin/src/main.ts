// gpio-device-plugin: with --once, what it would hand out, and exit. Otherwise its logger and
// signal handling, /metrics /healthz /readyz (the runtime's server, ready while the kubelet
// knows the plugin), then the plugin itself. SIGTERM stops the plugin (its stream to the
// kubelet ends and its socket goes) and then the HTTP server.
import { createLifecycle, createLogger, exitCodeFor, resolveLogFormat, type ParseResult } from '@gpio-fleet/cli-kit';
import { Exposition, startServiceServer } from '@gpio-fleet/runtime';
import { createPluginMetrics } from './metrics.js';
import { onceReport } from './once.js';
import type { options } from './options.js';
import { GpioDevicePlugin } from './plugin/device-plugin.js';

export async function main({ values: o }: ParseResult<typeof options>, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const chip = { devicePath: o.devicePath, labels: o.chipLabels, devDir: o.devDir, sysDir: o.sysDir };
  if (o.once) {
    const report = onceReport(o.resource, o.count, chip);
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return report.found ? 0 : 1;
  }
  const nodeName = env.NODE_NAME || undefined;
  const logger = createLogger({
    level: o.logLevel,
    ...resolveLogFormat(o.logFormat, process.stderr, env),
    base: { app: 'gpio-device-plugin', ...(nodeName ? { node: nodeName } : {}) },
  });
  const lifecycle = createLifecycle({ logger });
  try {
    const exposition = new Exposition({ nodeName });
    const metrics = createPluginMetrics(exposition.registry);
    const plugin = new GpioDevicePlugin(
      {
        resource: o.resource,
        count: o.count,
        kubeletDir: o.kubeletDir,
        pollIntervalMs: o.pollInterval * 1000,
        chip,
      },
      logger,
      metrics,
    );
    const server = await startServiceServer({
      host: o.host,
      port: o.port,
      metrics: exposition,
      ready: () => plugin.registered && !lifecycle.stopping,
    });
    lifecycle.onShutdown(() => server.close(), 'stop HTTP server');
    logger.info('serving metrics', { url: `${server.url}/metrics`, host: o.host, port: server.port });
    if (lifecycle.stopping) return await lifecycle.stopped;
    lifecycle.onShutdown(() => plugin.stop(), 'stop device plugin');
    await plugin.start();
  } catch (err) {
    if (lifecycle.stopping) return lifecycle.stopped;
    await lifecycle.shutdown('start-up failed', exitCodeFor(err));
    throw err;
  }
  return lifecycle.stopped;
}
