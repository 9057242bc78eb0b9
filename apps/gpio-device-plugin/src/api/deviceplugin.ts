// The device-plugin API as gRPC services and typed messages. The .proto is parsed once, at
// load, by protobufjs; @grpc/proto-loader turns it into the service definitions @grpc/grpc-js
// serves and calls. Field names are the proto's in camelCase (resource_name -> resourceName).
import * as grpc from '@grpc/grpc-js';
import { fromJSON, type PackageDefinition } from '@grpc/proto-loader';
import protobuf from 'protobufjs';
import { DEVICE_PLUGIN_PROTO } from './deviceplugin-v1beta1.proto.js';

/** The API version the plugin registers with. */
export const API_VERSION = 'v1beta1';
export const HEALTHY = 'Healthy';
export const UNHEALTHY = 'Unhealthy';
export type Health = typeof HEALTHY | typeof UNHEALTHY;

export type Empty = Record<string, never>;

export interface DevicePluginOptions {
  preStartRequired: boolean;
  getPreferredAllocationAvailable: boolean;
}

export interface RegisterRequest {
  version: string;
  endpoint: string;
  resourceName: string;
  options: DevicePluginOptions;
}

export interface Device {
  ID: string;
  health: Health;
}

export interface ListAndWatchResponse {
  devices: Device[];
}

export interface AllocateRequest {
  containerRequests: { devicesIds: string[] }[];
}

export interface DeviceSpec {
  containerPath: string;
  hostPath: string;
  permissions: string;
}

export interface ContainerAllocateResponse {
  envs: Record<string, string>;
  mounts: { containerPath: string; hostPath: string; readOnly: boolean }[];
  devices: DeviceSpec[];
  annotations: Record<string, string>;
  cdiDevices: { name: string }[];
}

export interface AllocateResponse {
  containerResponses: ContainerAllocateResponse[];
}

export interface PreferredAllocationRequest {
  containerRequests: { availableDeviceIDs: string[]; mustIncludeDeviceIDs: string[]; allocationSize: number }[];
}

export interface PreferredAllocationResponse {
  containerResponses: { deviceIDs: string[] }[];
}

export interface PreStartContainerRequest {
  devicesIds: string[];
}

function loadDefinition(): PackageDefinition {
  const { root } = protobuf.parse(DEVICE_PLUGIN_PROTO);
  // defaults: a field the peer left out reads as its proto3 default ("" , 0, [], {}), so the
  // handlers never see undefined where the types promise a value.
  return fromJSON(root.toJSON(), { longs: Number, defaults: true });
}

const definition = loadDefinition();

function service(name: string): grpc.ServiceDefinition {
  const found = definition[`v1beta1.${name}`];
  // A message type's definition has a format; a service's is a map of methods.
  if (found === undefined || 'format' in found) throw new Error(`the device-plugin proto has no service ${name}`);
  return found;
}

/** The kubelet's service: Register. */
export const REGISTRATION_SERVICE = service('Registration');
/** The plugin's service: GetDevicePluginOptions, ListAndWatch, GetPreferredAllocation, Allocate, PreStartContainer. */
export const DEVICE_PLUGIN_SERVICE = service('DevicePlugin');

/** A gRPC address for a unix socket path. */
export const unixAddress = (socketPath: string): string => `unix://${socketPath}`;

/** A client of either service on a unix socket (the caller closes it). */
export function connect(socketPath: string): grpc.Client {
  return new grpc.Client(unixAddress(socketPath), grpc.credentials.createInsecure());
}

/** One unary call, typed by the caller, with a deadline in ms; `signal` cancels it. */
export function unaryCall<Req, Res>(
  client: grpc.Client,
  svc: grpc.ServiceDefinition,
  method: string,
  request: Req,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<Res> {
  const m = svc[method] as grpc.MethodDefinition<Req, Res> | undefined;
  if (!m) throw new Error(`no method ${method}`);
  return new Promise<Res>((resolve, reject) => {
    const call = client.makeUnaryRequest<Req, Res>(m.path, m.requestSerialize, m.responseDeserialize, request, { deadline: Date.now() + timeoutMs }, (err, res) => {
      signal?.removeEventListener('abort', cancel);
      if (err) reject(err);
      else resolve(res!);
    });
    function cancel(): void {
      call.cancel();
    }
    if (signal?.aborted) cancel();
    else signal?.addEventListener('abort', cancel);
  });
}

/** A server-streaming call (ListAndWatch), typed by the caller. */
export function streamCall<Req, Res>(client: grpc.Client, svc: grpc.ServiceDefinition, method: string, request: Req): grpc.ClientReadableStream<Res> {
  const m = svc[method] as grpc.MethodDefinition<Req, Res> | undefined;
  if (!m) throw new Error(`no method ${method}`);
  return client.makeServerStreamRequest<Req, Res>(m.path, m.requestSerialize, m.responseDeserialize, request);
}
