// The kubelet's device-plugin API, v1beta1 (package v1beta1 of k8s.io/kubelet's
// pkg/apis/deviceplugin), as a .proto held in a string: the esbuild bundle and the standalone
// executables then carry it with no file to find at run time. Field numbers and names are the
// wire contract with the kubelet; docs/kubernetes.md#our-device-plugin says which parts we use.
export const DEVICE_PLUGIN_PROTO = /* proto */ `
syntax = "proto3";

package v1beta1;

// Served by the kubelet on <kubelet dir>/device-plugins/kubelet.sock.
service Registration {
  rpc Register(RegisterRequest) returns (Empty) {}
}

message DevicePluginOptions {
  // The kubelet calls PreStartContainer before each container that got a device.
  bool pre_start_required = 1;
  // The kubelet asks GetPreferredAllocation which devices to pick.
  bool get_preferred_allocation_available = 2;
}

message RegisterRequest {
  // The API version the plugin speaks: "v1beta1".
  string version = 1;
  // The plugin's socket, a file name in the kubelet's device-plugins directory.
  string endpoint = 2;
  // An extended resource name, <domain>/<name>.
  string resource_name = 3;
  DevicePluginOptions options = 4;
}

message Empty {}

// Served by the plugin on its own socket; the kubelet dials it after Register.
service DevicePlugin {
  rpc GetDevicePluginOptions(Empty) returns (DevicePluginOptions) {}
  // A stream of the whole device list, sent again whenever a device changes.
  rpc ListAndWatch(Empty) returns (stream ListAndWatchResponse) {}
  rpc GetPreferredAllocation(PreferredAllocationRequest) returns (PreferredAllocationResponse) {}
  // Called while a container is created; the answer says what the runtime gives it.
  rpc Allocate(AllocateRequest) returns (AllocateResponse) {}
  rpc PreStartContainer(PreStartContainerRequest) returns (PreStartContainerResponse) {}
}

message ListAndWatchResponse {
  repeated Device devices = 1;
}

message TopologyInfo {
  repeated NUMANode nodes = 1;
}

message NUMANode {
  int64 ID = 1;
}

message Device {
  // Unique per plugin; the kubelet checkpoints which container holds which ID.
  string ID = 1;
  // "Healthy" or "Unhealthy"; the kubelet counts only healthy devices as allocatable.
  string health = 2;
  TopologyInfo topology = 3;
}

message PreStartContainerRequest {
  repeated string devices_ids = 1;
}

message PreStartContainerResponse {}

message PreferredAllocationRequest {
  repeated ContainerPreferredAllocationRequest container_requests = 1;
}

message ContainerPreferredAllocationRequest {
  repeated string available_deviceIDs = 1;
  repeated string must_include_deviceIDs = 2;
  int32 allocation_size = 3;
}

message PreferredAllocationResponse {
  repeated ContainerPreferredAllocationResponse container_responses = 1;
}

message ContainerPreferredAllocationResponse {
  repeated string deviceIDs = 1;
}

// One entry per container, with the IDs the kubelet picked for it.
message AllocateRequest {
  repeated ContainerAllocateRequest container_requests = 1;
}

message ContainerAllocateRequest {
  repeated string devices_ids = 1;
}

message CDIDevice {
  string name = 1;
}

// One entry per container request, in the same order.
message AllocateResponse {
  repeated ContainerAllocateResponse container_responses = 1;
}

message ContainerAllocateResponse {
  map<string, string> envs = 1;
  repeated Mount mounts = 2;
  repeated DeviceSpec devices = 3;
  map<string, string> annotations = 4;
  repeated CDIDevice cdi_devices = 5;
}

message Mount {
  string container_path = 1;
  string host_path = 2;
  bool read_only = 3;
}

// A device node the runtime creates in the container, with a device-cgroup rule for it.
message DeviceSpec {
  string container_path = 1;
  string host_path = 2;
  // Any of r (read), w (write), m (mknod).
  string permissions = 3;
}
`;
