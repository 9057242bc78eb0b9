// The kubelet's side of the device-plugin API, on real gRPC (@grpc/grpc-js on a unix socket),
// doing what the kubelet's device manager does: serve Registration on
// <dir>/device-plugins/kubelet.sock; on Register dial the plugin's endpoint before answering and
// keep a ListAndWatch stream open; call Allocate for a container. A restart deletes every
// socket in the directory and serves a new kubelet.sock, as a starting kubelet does.
import { lstatSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import {
  connect,
  DEVICE_PLUGIN_SERVICE,
  REGISTRATION_SERVICE,
  streamCall,
  unaryCall,
  unixAddress,
  type AllocateRequest,
  type AllocateResponse,
  type DevicePluginOptions,
  type Empty,
  type ListAndWatchResponse,
  type RegisterRequest,
} from '../../src/api/deviceplugin.js';

export interface PluginConnection {
  request: RegisterRequest;
  client: grpc.Client;
  /** Every ListAndWatch message so far, oldest first. */
  updates: ListAndWatchResponse[];
  /** Set when the plugin ended the stream. */
  ended: boolean;
}

export class FakeKubelet {
  readonly connections: PluginConnection[] = [];
  /** Register calls that were refused, with the reason. */
  readonly refused: string[] = [];
  private server: grpc.Server | undefined;

  private constructor(readonly dir: string) {}

  /** Serves <kubeletDir>/device-plugins/kubelet.sock. */
  static async start(kubeletDir: string): Promise<FakeKubelet> {
    const kubelet = new FakeKubelet(join(kubeletDir, 'device-plugins'));
    await kubelet.serve();
    return kubelet;
  }

  get socket(): string {
    return join(this.dir, 'kubelet.sock');
  }

  /** The newest registration. */
  get latest(): PluginConnection | undefined {
    return this.connections.at(-1);
  }

  /** Stops, deletes every socket in the directory (the plugin's too) and serves anew. */
  async restart(): Promise<void> {
    await this.stop();
    for (const name of readdirSync(this.dir)) {
      const path = join(this.dir, name);
      if (lstatSync(path).isSocket()) rmSync(path);
    }
    await this.serve();
  }

  /** Stops serving; the plugin connections close. */
  async stop(): Promise<void> {
    for (const c of this.connections) c.client.close();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
  }

  allocate(request: AllocateRequest, connection = this.latest): Promise<AllocateResponse> {
    if (!connection) throw new Error('no plugin registered');
    return unaryCall<AllocateRequest, AllocateResponse>(connection.client, DEVICE_PLUGIN_SERVICE, 'Allocate', request, 5000);
  }

  options(connection = this.latest): Promise<DevicePluginOptions> {
    if (!connection) throw new Error('no plugin registered');
    return unaryCall<Empty, DevicePluginOptions>(connection.client, DEVICE_PLUGIN_SERVICE, 'GetDevicePluginOptions', {}, 5000);
  }

  private async serve(): Promise<void> {
    mkdirSync(this.dir, { recursive: true, mode: 0o750 });
    const server = new grpc.Server();
    const register: grpc.handleUnaryCall<RegisterRequest, Empty> = (call, callback) => {
      this.accept(call.request).then(
        () => callback(null, {}),
        (err: unknown) => {
          const details = err instanceof Error ? err.message : String(err);
          this.refused.push(details);
          callback({ code: grpc.status.UNAVAILABLE, details });
        },
      );
    };
    server.addService(REGISTRATION_SERVICE, { Register: register });
    await new Promise<void>((resolve, reject) =>
      server.bindAsync(unixAddress(this.socket), grpc.ServerCredentials.createInsecure(), (err) => (err ? reject(err) : resolve())),
    );
    this.server = server;
  }

  /** As the kubelet does before it answers Register: dial the endpoint, start ListAndWatch. */
  private async accept(request: RegisterRequest): Promise<void> {
    if (request.version !== 'v1beta1') throw new Error(`unsupported version ${request.version}`);
    const client = connect(join(this.dir, request.endpoint));
    await new Promise<void>((resolve, reject) => client.waitForReady(Date.now() + 5000, (err) => (err ? reject(err) : resolve())));
    const connection: PluginConnection = { request, client, updates: [], ended: false };
    const stream = streamCall<Empty, ListAndWatchResponse>(client, DEVICE_PLUGIN_SERVICE, 'ListAndWatch', {});
    stream.on('data', (update: ListAndWatchResponse) => connection.updates.push(update));
    stream.on('end', () => (connection.ended = true));
    // A stream cut by a kubelet stop or restart is expected here.
    stream.on('error', () => (connection.ended = true));
    this.connections.push(connection);
  }
}
