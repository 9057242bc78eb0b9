// The plugin's own gRPC server, on a unix socket in the kubelet's device-plugins directory:
// the DevicePlugin service the kubelet dials after Register. ListAndWatch streams stay open
// and get the whole device list again on every change (update()).
import { rmSync, lstatSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import {
  DEVICE_PLUGIN_SERVICE,
  unixAddress,
  type AllocateRequest,
  type AllocateResponse,
  type Device,
  type DevicePluginOptions,
  type Empty,
  type ListAndWatchResponse,
  type PreferredAllocationRequest,
  type PreferredAllocationResponse,
  type PreStartContainerRequest,
} from '../api/deviceplugin.js';
import { AllocateError } from './allocate.js';

export interface PluginServerHandlers {
  /** The device list now. */
  devices(): Device[];
  /** May throw an AllocateError, which the kubelet receives as that status. */
  allocate(request: AllocateRequest): AllocateResponse;
}

/** We ask for neither PreStartContainer nor GetPreferredAllocation: every share is the same. */
export const PLUGIN_OPTIONS: DevicePluginOptions = { preStartRequired: false, getPreferredAllocationAvailable: false };

/** Removes a socket left at `path` by an earlier run; anything else there is an error. */
function removeStaleSocket(path: string): void {
  let isSocket: boolean;
  try {
    isSocket = lstatSync(path).isSocket();
  } catch {
    return;
  }
  if (!isSocket) throw new Error(`${path} exists and is not a socket; refusing to replace it`);
  rmSync(path, { force: true });
}

const grpcError = (err: unknown): Partial<grpc.StatusObject> =>
  err instanceof AllocateError ? { code: err.code, details: err.message } : { code: grpc.status.INTERNAL, details: err instanceof Error ? err.message : String(err) };

export class PluginServer {
  private readonly watchers = new Set<grpc.ServerWritableStream<Empty, ListAndWatchResponse>>();
  private closed = false;

  private constructor(
    readonly socketPath: string,
    private readonly server: grpc.Server,
    private readonly handlers: PluginServerHandlers,
  ) {}

  /** Binds `socketPath` and serves until close(). */
  static async start(socketPath: string, handlers: PluginServerHandlers): Promise<PluginServer> {
    removeStaleSocket(socketPath);
    const server = new grpc.Server();
    const plugin = new PluginServer(socketPath, server, handlers);
    server.addService(DEVICE_PLUGIN_SERVICE, plugin.implementation());
    await new Promise<void>((resolve, reject) => {
      server.bindAsync(unixAddress(socketPath), grpc.ServerCredentials.createInsecure(), (err) => (err ? reject(err) : resolve()));
    });
    return plugin;
  }

  /** How many ListAndWatch streams are open (the kubelet holds one). */
  get streams(): number {
    return this.watchers.size;
  }

  /** Sends the current device list to every open ListAndWatch stream. */
  update(): void {
    const devices = this.handlers.devices();
    for (const call of this.watchers) call.write({ devices });
  }

  /** Ends the streams, stops serving and removes the socket. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const call of this.watchers) call.end();
    this.watchers.clear();
    await new Promise<void>((resolve) => {
      // In-flight calls get a moment to finish; a kubelet that keeps a connection open
      // must not hold the plugin's shutdown.
      const force = setTimeout(() => {
        this.server.forceShutdown();
        resolve();
      }, 1000);
      this.server.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    });
    rmSync(this.socketPath, { force: true });
  }

  private implementation(): grpc.UntypedServiceImplementation {
    const unary =
      <Req, Res>(handle: (req: Req) => Res): grpc.handleUnaryCall<Req, Res> =>
      (call, callback) => {
        try {
          callback(null, handle(call.request));
        } catch (err) {
          callback(grpcError(err));
        }
      };
    const listAndWatch: grpc.handleServerStreamingCall<Empty, ListAndWatchResponse> = (call) => {
      if (this.closed) {
        call.end();
        return;
      }
      this.watchers.add(call);
      const forget = () => this.watchers.delete(call);
      call.on('cancelled', forget);
      call.on('error', forget);
      call.on('close', forget);
      call.write({ devices: this.handlers.devices() });
    };
    return {
      GetDevicePluginOptions: unary<Empty, DevicePluginOptions>(() => PLUGIN_OPTIONS),
      ListAndWatch: listAndWatch,
      Allocate: unary<AllocateRequest, AllocateResponse>((req) => this.handlers.allocate(req)),
      // Not asked for (PLUGIN_OPTIONS); answered anyway, with the kubelet's own choice.
      GetPreferredAllocation: unary<PreferredAllocationRequest, PreferredAllocationResponse>((req) => ({
        containerResponses: req.containerRequests.map((c) => ({
          deviceIDs: [...new Set([...c.mustIncludeDeviceIDs, ...c.availableDeviceIDs])].slice(0, c.allocationSize),
        })),
      })),
      PreStartContainer: unary<PreStartContainerRequest, Empty>(() => ({})),
    };
  }
}
