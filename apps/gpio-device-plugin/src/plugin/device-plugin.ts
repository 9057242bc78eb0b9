// The plugin's life: serve our socket, register with the kubelet, and then, on every poll,
// check the chip (its health goes to the kubelet through ListAndWatch) and the kubelet's
// socket (a restarted kubelet has forgotten us: serve anew and register again). A kubelet that
// is not there is asked again with backoff, and said so in the log; it never stops the plugin.
import { join } from 'node:path';
import type { Logger } from '@gpio-fleet/cli-kit';
import type { AllocateRequest, AllocateResponse, Device } from '../api/deviceplugin.js';
import { findChip, sameState, type ChipSettings, type ChipState } from '../chip/find-chip.js';
import type { PluginMetrics } from '../metrics.js';
import { allocate } from './allocate.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffSettings } from './backoff.js';
import { deviceIds, deviceList } from './devices.js';
import { devicePluginsDir, kubeletSocket, pluginSocketName, socketIdentity } from './kubelet-socket.js';
import { PluginServer } from './plugin-server.js';
import { kubeletSocketProblem, register } from './registration.js';

export interface DevicePluginSettings {
  resource: string;
  count: number;
  kubeletDir: string;
  pollIntervalMs: number;
  chip: ChipSettings;
  backoff?: BackoffSettings;
  /** Deadline of one Register call. */
  registerTimeoutMs?: number;
}

export class GpioDevicePlugin {
  readonly ids: readonly string[];
  readonly socketPath: string;
  readonly kubeletSocket: string;
  /** Undefined until the first check. */
  private chip: ChipState | undefined;
  private server: PluginServer | undefined;
  private serverSocket: string | undefined;
  /** The kubelet socket we are registered with; undefined while we are not. */
  private registeredWith: string | undefined;
  private failures = 0;
  private nextAttempt = 0;
  private readonly controller = new AbortController();
  private starting: Promise<void> | undefined;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly settings: DevicePluginSettings,
    private readonly logger: Logger,
    private readonly metrics: PluginMetrics,
  ) {
    this.ids = deviceIds(settings.resource, settings.count);
    this.socketPath = join(devicePluginsDir(settings.kubeletDir), pluginSocketName(settings.resource));
    this.kubeletSocket = kubeletSocket(settings.kubeletDir);
  }

  get registered(): boolean {
    return this.registeredWith !== undefined;
  }

  /** The chip as last checked. */
  get chipState(): ChipState {
    return this.chip ?? { kind: 'missing', reason: 'not checked yet' };
  }

  devices(): Device[] {
    return deviceList(this.ids, this.chipState);
  }

  /** Starts the loop; returns once the first registration attempt is over (whatever its result). */
  start(): Promise<void> {
    this.starting ??= (async () => {
      await this.tick();
      if (!this.controller.signal.aborted) this.loop = this.run();
    })();
    return this.starting;
  }

  /** Stops the loop, ends the kubelet's stream and removes our socket. */
  async stop(): Promise<void> {
    this.controller.abort();
    await this.starting;
    await this.loop;
    await this.server?.close();
    this.server = undefined;
    this.setRegistered(undefined);
  }

  /** Allocate, against the chip as it is right now. */
  allocate(request: AllocateRequest): AllocateResponse {
    this.checkChip();
    try {
      const response = allocate(request, this.ids, this.chipState);
      for (const [i, c] of request.containerRequests.entries()) {
        this.metrics.allocation('ok');
        this.logger.info('allocated', { devices: c.devicesIds, path: response.containerResponses[i]?.devices[0]?.hostPath });
      }
      return response;
    } catch (err) {
      this.metrics.allocation('error');
      this.logger.warn('allocate refused', { error: err });
      throw err;
    }
  }

  private async run(): Promise<void> {
    const { signal } = this.controller;
    while (!signal.aborted) {
      const untilAttempt = this.registered ? Infinity : Math.max(0, this.nextAttempt - Date.now());
      await sleep(Math.min(this.settings.pollIntervalMs, untilAttempt), signal);
      if (signal.aborted) break;
      try {
        await this.tick();
      } catch (err) {
        // A poll that fails is logged and the next one tries again: the plugin keeps serving.
        this.logger.error('poll failed', { error: err });
      }
    }
  }

  private async tick(): Promise<void> {
    this.checkChip();
    this.checkKubelet();
    if (!this.registered && Date.now() >= this.nextAttempt) await this.tryRegister();
  }

  private checkChip(): void {
    const next = findChip(this.settings.chip);
    if (this.chip && sameState(this.chip, next)) return;
    const previous = this.chip;
    this.chip = next;
    this.reportChip(previous);
    this.server?.update();
  }

  private reportChip(previous: ChipState | undefined): void {
    const chip = this.chipState;
    this.metrics.chip(this.settings.resource, chip);
    this.metrics.devices(this.devices());
    if (chip.kind === 'found') {
      this.logger.info(previous?.kind === 'missing' ? 'GPIO chip is back: devices healthy' : 'GPIO chip found', {
        resource: this.settings.resource,
        path: chip.hostPath,
        label: chip.label,
        lines: chip.lines,
        devices: this.ids.length,
      });
    } else {
      this.logger.warn(previous?.kind === 'found' ? 'GPIO chip gone: devices unhealthy' : 'GPIO chip not found: devices unhealthy', {
        resource: this.settings.resource,
        reason: chip.reason,
      });
    }
  }

  private checkKubelet(): void {
    if (!this.registered) return;
    const now = socketIdentity(this.kubeletSocket);
    if (now === this.registeredWith && socketIdentity(this.socketPath) === this.serverSocket) return;
    this.logger.warn(now === undefined ? 'kubelet socket gone: waiting for the kubelet' : 'kubelet restarted: registering again', {
      socket: this.kubeletSocket,
    });
    this.setRegistered(undefined);
    this.failures = 0;
    this.nextAttempt = 0;
  }

  private async tryRegister(): Promise<void> {
    try {
      const problem = kubeletSocketProblem(this.kubeletSocket);
      if (problem) throw problem;
      // The socket registered with: a different one later means the kubelet restarted.
      const kubeletBefore = socketIdentity(this.kubeletSocket);
      // A restarted kubelet deleted our socket: serve a new one before it is told to dial it.
      if (!this.server || socketIdentity(this.socketPath) !== this.serverSocket) await this.serve();
      await register(
        { kubeletSocket: this.kubeletSocket, endpoint: pluginSocketName(this.settings.resource), resource: this.settings.resource },
        this.settings.registerTimeoutMs,
        this.controller.signal,
      );
      this.metrics.registration('ok');
      this.failures = 0;
      this.setRegistered(kubeletBefore ?? 'gone');
      this.logger.info('registered with the kubelet', {
        resource: this.settings.resource,
        socket: this.kubeletSocket,
        endpoint: this.socketPath,
        devices: this.ids.length,
        healthy: this.chipState.kind === 'found',
      });
    } catch (err) {
      if (this.controller.signal.aborted) return;
      this.metrics.registration('error');
      this.failures++;
      const delay = backoffDelay(this.failures, this.settings.backoff ?? DEFAULT_BACKOFF);
      this.nextAttempt = Date.now() + delay;
      this.logger.warn('registration failed; retrying', { error: err, attempt: this.failures, retryInSeconds: delay / 1000 });
    }
  }

  private async serve(): Promise<void> {
    await this.server?.close();
    this.server = undefined;
    this.server = await PluginServer.start(this.socketPath, {
      devices: () => this.devices(),
      allocate: (request) => this.allocate(request),
    });
    this.serverSocket = socketIdentity(this.socketPath);
    this.logger.debug('serving the device-plugin socket', { socket: this.socketPath });
  }

  private setRegistered(kubelet: string | undefined): void {
    this.registeredWith = kubelet;
    this.metrics.registered(kubelet !== undefined);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}
