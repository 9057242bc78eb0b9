// The real node's pure parts, without root: the configuration files it writes for containerd,
// CNI, the kubelet and the registry, the registry's access log, the host-state snapshot's
// filters and diff, the pause image's layout, the service proxy, and the node's state file.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadYaml } from '@kubernetes/client-node';
import { afterAll, describe, expect, it } from 'vitest';
import { containerdConfigToml, containerdPaths, hostsToml } from '../src/real-node/containerd.js';
import { diffHostState, iptablesLines, nodeAddresses, nodeLinks, nodeMounts, nodeRoutes } from '../src/real-node/host-state.js';
import { chartAppVersion, layoutRef } from '../src/real-node/images.js';
import { kubeletArgs, kubeletConfigYaml } from '../src/real-node/kubelet.js';
import { claimNodeState, readNodeState, recordNodeProcess, type RealNodeState } from '../src/real-node/node-state.js';
import { ociArchitecture, writePauseLayout } from '../src/real-node/pause-image.js';
import { cniConflist, POD_NETWORK } from '../src/real-node/pod-network.js';
import { realNodeScope, RUN_DIR_PREFIX } from '../src/real-node/real-node.js';
import { bytesFetched, parseAccessLog, registryConfigYaml } from '../src/real-node/registry.js';
import { parseEndpoint, startServiceProxy } from '../src/real-node/service-proxy.js';
import { activeAbove, chainIds, type Snapshot } from '../src/real-node/unpacked-layers.js';
import { repoRoot } from './support/cluster.js';

const scratch = mkdtempSync(join(tmpdir(), 'real-node-config-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const RUN = '/tmp/gf-node-AbC123';

describe('containerd configuration', () => {
  const paths = containerdPaths(RUN);
  const toml = containerdConfigToml({ paths, runc: '/cache/runc-v1.5.3/bin/runc', pauseImage: '127.0.0.1:5000/pause:src-1', cniBinDir: '/usr/lib/cni', restrictOomScoreAdj: true });

  it('is containerd 2.4\'s own version 4, with nothing imported from the machine', () => {
    expect(toml.split('\n')[0]).toBe('version = 4');
    expect(toml).toContain('\nimports = []\n');
  });

  it('keeps every path it sets under the run directory, except the binaries it is given', () => {
    const paths = [...toml.matchAll(/'(\/[^']*)'/g)].map((m) => m[1]!);
    expect(paths.length).toBeGreaterThan(10);
    expect(paths.filter((p) => !p.startsWith(`${RUN}/`))).toEqual(['/cache/runc-v1.5.3/bin/runc', '/usr/lib/cni']);
    // Shim sockets: a unix socket path has at most 108 bytes, and the shim adds 64 hex digits and more.
    expect(paths).toContain(`${RUN}/s`);
  });

  it('sets what this machine needs: cgroupfs, clamped oom_score_adj, netns under its state, no CDI, no NRI', () => {
    for (const line of ['SystemdCgroup = false', 'restrict_oom_score_adj = true', 'netns_mounts_under_state_dir = true', 'cdi_spec_dirs = []', 'disable = true', "sandbox = '127.0.0.1:5000/pause:src-1'", "snapshotter = 'overlayfs'"]) {
      expect(toml).toContain(line);
    }
    expect(containerdConfigToml({ paths, runc: 'r', pauseImage: 'p', cniBinDir: 'c', restrictOomScoreAdj: false })).toContain('restrict_oom_score_adj = false');
  });

  it('pulls from the node registry over plain HTTP', () => {
    expect(hostsToml('127.0.0.1:5000')).toBe('server = "http://127.0.0.1:5000"\n\n[host."http://127.0.0.1:5000"]\n  capabilities = ["pull", "resolve"]\n');
  });
});

describe('CNI configuration', () => {
  const conf = JSON.parse(cniConflist(POD_NETWORK, `${RUN}/cni/ipam`)) as { name: string; plugins: { type: string; bridge?: string; ipMasq?: boolean; isDefaultGateway?: boolean; ipam?: { dataDir: string; routes?: unknown; ranges: { subnet: string; gateway: string }[][] } }[] };

  it('puts pods on the node bridge with host-local addresses, gateway = node IP, no masquerading', () => {
    expect(conf.name).toBe('gpio-fleet');
    const [bridge, portmap] = conf.plugins;
    expect(bridge).toMatchObject({ type: 'bridge', bridge: 'gfbr0', ipMasq: false, isDefaultGateway: true });
    expect(bridge!.ipam).toMatchObject({ dataDir: `${RUN}/cni/ipam`, ranges: [[{ subnet: '10.200.0.0/24', gateway: '10.200.0.1' }]] });
    // isDefaultGateway adds the default route; a route of its own would fail every sandbox.
    expect(bridge!.ipam).not.toHaveProperty('routes');
    expect(portmap!.type).toBe('portmap');
  });
});

describe('kubelet configuration', () => {
  const yaml = kubeletConfigYaml({
    runtimeSocket: `${RUN}/containerd/containerd.sock`,
    nodeIp: '10.200.0.1',
    port: 10250,
    healthzPort: 10248,
    servingCert: '/pki/real-0-serving.crt',
    servingKey: '/pki/real-0-serving.key',
    clientCaFile: '/pki/ca.crt',
    podLogsDir: `${RUN}/kubelet/pod-logs`,
    volumePluginDir: `${RUN}/kubelet/volume-plugins`,
  });
  const config = loadYaml<Record<string, unknown>>(yaml);

  it('runs on cgroups v1 with cgroupfs and leaves the machine\'s iptables alone', () => {
    expect(config).toMatchObject({ kind: 'KubeletConfiguration', failCgroupV1: false, cgroupDriver: 'cgroupfs', failSwapOn: false, makeIPTablesUtilChains: false });
  });

  it('talks to containerd, serves on the node IP only, and trusts the cluster CA', () => {
    expect(config).toMatchObject({
      containerRuntimeEndpoint: `unix://${RUN}/containerd/containerd.sock`,
      address: '10.200.0.1',
      readOnlyPort: 0,
      healthzBindAddress: '127.0.0.1',
      authentication: { anonymous: { enabled: false }, webhook: { enabled: true }, x509: { clientCAFile: '/pki/ca.crt' } },
      authorization: { mode: 'Webhook' },
      podLogsDir: `${RUN}/kubelet/pod-logs`,
    });
  });

  it('registers as the node with its IP', () => {
    expect(kubeletArgs({ config: 'c.yaml', kubeconfig: 'k', rootDir: `${RUN}/kubelet/root`, nodeName: 'real-0', nodeIp: '10.200.0.1' })).toEqual(
      expect.arrayContaining(['--config=c.yaml', '--kubeconfig=k', `--root-dir=${RUN}/kubelet/root`, '--hostname-override=real-0', '--node-ip=10.200.0.1']),
    );
  });
});

describe('the registry', () => {
  it('stores on disk, allows deletes and logs every request', () => {
    expect(loadYaml(registryConfigYaml({ dataDir: `${RUN}/registry/data`, host: '127.0.0.1:5000' }))).toMatchObject({
      storage: { filesystem: { rootdirectory: `${RUN}/registry/data` }, delete: { enabled: true } },
      http: { addr: '127.0.0.1:5000' },
      log: { accesslog: { disabled: false } },
    });
  });

  it('reads what a node fetched from its access log', () => {
    const log = [
      '{"level":"info","msg":"response completed","http.request.uri":"/v2/"}',
      '127.0.0.1 - - [01/Dec/2026:20:30:01 +0000] "HEAD /v2/light-sensor/manifests/0.1.0-r2 HTTP/1.1" 200 706 "" "containerd/v2.4.2"',
      '127.0.0.1 - - [01/Dec/2026:20:30:01 +0000] "GET /v2/light-sensor/manifests/sha256:aaaa HTTP/1.1" 200 796 "" "containerd/v2.4.2"',
      '127.0.0.1 - - [01/Dec/2026:20:30:01 +0000] "GET /v2/light-sensor/blobs/sha256:bbbb HTTP/1.1" 200 122083 "" "containerd/v2.4.2"',
      '127.0.0.1 - - [01/Dec/2026:20:30:02 +0000] "GET /v2/light-sensor/blobs/sha256:cccc HTTP/1.1" 404 - "" "containerd/v2.4.2"',
    ].join('\n');
    const fetches = parseAccessLog(log);
    expect(fetches.map((f) => [f.method, f.kind, f.reference, f.status, f.bytes])).toEqual([
      ['HEAD', 'manifests', '0.1.0-r2', 200, 706],
      ['GET', 'manifests', 'sha256:aaaa', 200, 796],
      ['GET', 'blobs', 'sha256:bbbb', 200, 122083],
      ['GET', 'blobs', 'sha256:cccc', 404, 0],
    ]);
    expect(fetches[0]).toMatchObject({ repository: 'light-sensor', userAgent: 'containerd/v2.4.2' });
    // Only successful GETs carry a body.
    expect(bytesFetched(fetches)).toBe(796 + 122083);
  });
});

describe('host state', () => {
  const scope = { bridge: 'gfbr0', subnetPrefix: '10.200.0.', serviceIp: '10.96.0.1' };

  it('sees the node\'s bridge, its veths and orphaned veths, not other bridges\' ports', () => {
    const links = [
      '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\\    link/loopback 00:00:00:00:00:00',
      '7: gfbr0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000\\    link/ether 2a:95',
      '8: veth1a2b3c4d@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master gfbr0 state UP mode DEFAULT group default',
      '9: veth99887766@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master cni-podman0 state UP mode DEFAULT group default',
      '10: veth55aa55aa@if3: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default',
    ].join('\n');
    expect(nodeLinks(links, 'gfbr0')).toEqual(['gfbr0 UP', 'veth1a2b3c4d master gfbr0 UP', 'veth55aa55aa DOWN']);
  });

  it('sees addresses and routes of the pod network only', () => {
    const addrs = ['1: lo    inet 127.0.0.1/8 scope host lo', '7: gfbr0    inet 10.200.0.1/24 scope global gfbr0', '7: gfbr0    inet 10.96.0.1/32 scope global gfbr0', '3: cni-podman0    inet 10.88.0.1/16 brd 10.88.255.255'].join('\n');
    expect(nodeAddresses(addrs, scope)).toEqual(['gfbr0 inet 10.200.0.1/24', 'gfbr0 inet 10.96.0.1/32']);
    const routes = ['default via 10.0.2.2 dev eth0', '10.200.0.0/24 dev gfbr0 proto kernel scope link src 10.200.0.1', '10.88.0.0/16 dev cni-podman0 proto kernel'].join('\n');
    expect(nodeRoutes(routes, scope)).toEqual(['10.200.0.0/24 dev gfbr0 proto kernel scope link src 10.200.0.1']);
  });

  it('sees the kubelet\'s chains and the CNI plugins\' rules, without counters, and not podman\'s', () => {
    const dump = [
      '# Generated by iptables-nft-save',
      '*mangle',
      ':KUBE-IPTABLES-HINT - [0:0]',
      'COMMIT',
      '*filter',
      ':INPUT ACCEPT [120:3400]',
      '-A INPUT -j KUBE-FIREWALL',
      '-A FORWARD -s 10.88.0.0/16 -j CNI-FORWARD',
      '*nat',
      '-A POSTROUTING -s 10.200.0.12/32 -m comment --comment "name: \\"gpio-fleet\\" id: \\"abc\\"" -j CNI-1234',
    ].join('\n');
    expect(iptablesLines(dump, scope)).toEqual([
      '*filter -A INPUT -j KUBE-FIREWALL',
      '*mangle :KUBE-IPTABLES-HINT -',
      '*nat -A POSTROUTING -s 10.200.0.12/32 -m comment --comment "name: \\"gpio-fleet\\" id: \\"abc\\"" -j CNI-1234',
    ]);
  });

  it('sees mounts under the run directories and the kubelet\'s and containerd\'s default paths', () => {
    const mountinfo = [
      '22 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw',
      `301 22 254:1 ${RUN}/kubelet/root ${RUN}/kubelet/root rw,relatime shared:1 - ext4 /dev/vda1 rw`,
      `302 22 0:52 / ${RUN}/containerd/state/io.containerd.grpc.v1.cri/sandboxes/ab/shm rw - tmpfs shm rw`,
      '303 22 0:4 net:[4026532300] /run/netns/netns-1234 rw shared:5 - nsfs nsfs rw',
      '304 22 0:60 / /var/lib/kubelet/pods/x/volumes rw - tmpfs tmpfs rw',
    ].join('\n');
    expect(nodeMounts(mountinfo, RUN_DIR_PREFIX)).toEqual([`${RUN}/containerd/state/io.containerd.grpc.v1.cri/sandboxes/ab/shm tmpfs`, `${RUN}/kubelet/root ext4`, '/var/lib/kubelet/pods/x/volumes tmpfs']);
  });

  it('names every difference between two snapshots, by kind', () => {
    const before = { links: ['gfbr0 UP'], sysctls: ['kernel.panic = 1'], mounts: [] };
    const after = { links: [], sysctls: ['kernel.panic = 10'], mounts: [], files: ['/var/lib/kubelet'] };
    expect(diffHostState(before, after)).toEqual(['files: + /var/lib/kubelet', 'links: - gfbr0 UP', 'sysctls: + kernel.panic = 10', 'sysctls: - kernel.panic = 1']);
    expect(diffHostState(before, before)).toEqual([]);
  });

  it('is scoped to the node\'s own executables and its service proxy', () => {
    const s = realNodeScope({ kubelet: '/c/kubelet', containerd: '/c/containerd', shim: '/c/shim', ctr: '/c/ctr', runc: '/c/runc', registry: '/c/registry' }, ['/c/prometheus']);
    expect(s.executables).toEqual(['/c/kubelet', '/c/containerd', '/c/shim', '/c/ctr', '/c/runc', '/c/registry', '/c/prometheus']);
    expect(s).toMatchObject({ runDirPrefix: RUN_DIR_PREFIX, bridge: 'gfbr0', subnetPrefix: '10.200.0.', serviceIp: '10.96.0.1', commandMarks: ['service-proxy.js'] });
  });
});

describe('the pause image layout', () => {
  it('is one FROM-scratch layer with /pause as uid 65535, byte for byte the same on every build', () => {
    const binary = join(scratch, 'pause');
    writeFileSync(binary, 'not really an ELF binary');
    const [a, b] = [join(scratch, 'a'), join(scratch, 'b')];
    writePauseLayout(binary, a, 'src-test', 'amd64');
    writePauseLayout(binary, b, 'src-test', 'amd64');
    expect(readFileSync(join(b, 'index.json'), 'utf8')).toBe(readFileSync(join(a, 'index.json'), 'utf8'));
    expect(layoutRef(a)).toBe('src-test');
    const index = JSON.parse(readFileSync(join(a, 'index.json'), 'utf8')) as { manifests: { digest: string; platform: unknown }[] };
    expect(index.manifests[0]!.platform).toEqual({ architecture: 'amd64', os: 'linux' });
    const blob = (d: string) => readFileSync(join(a, 'blobs', 'sha256', d.slice(7)));
    const manifestBytes = blob(index.manifests[0]!.digest);
    expect(`sha256:${createHash('sha256').update(manifestBytes).digest('hex')}`).toBe(index.manifests[0]!.digest);
    const manifest = JSON.parse(manifestBytes.toString()) as { config: { digest: string }; layers: { mediaType: string }[] };
    expect(manifest.layers).toHaveLength(1);
    expect(manifest.layers[0]!.mediaType).toBe('application/vnd.oci.image.layer.v1.tar+gzip');
    expect(JSON.parse(blob(manifest.config.digest).toString())).toMatchObject({ os: 'linux', config: { Entrypoint: ['/pause'], User: '65535:65535' } });
    expect(ociArchitecture('x64')).toBe('amd64');
    expect(() => ociArchitecture('mips')).toThrow(/accepted: x64, arm64, arm/);
  });
});

describe('images for the node', () => {
  it('are tagged with their chart\'s appVersion', () => {
    const chart = readFileSync(join(repoRoot, 'charts', 'light-sensor', 'Chart.yaml'), 'utf8');
    expect(chartAppVersion('light-sensor')).toBe(/^appVersion: "?([^"\n]+)"?$/m.exec(chart)![1]);
    expect(chartAppVersion('gpio-fleet')).toBeUndefined();
  });
});

describe('the service proxy', () => {
  it('forwards TCP both ways', async () => {
    const echo = createServer((s) => s.pipe(s));
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    const proxy = await startServiceProxy({ host: '127.0.0.1', port: 0 }, { host: '127.0.0.1', port: (echo.address() as AddressInfo).port });
    const reply = await new Promise<string>((resolve, reject) => {
      const c = connect((proxy.address() as AddressInfo).port, '127.0.0.1', () => c.end('hello through the proxy'));
      let got = '';
      c.on('data', (d: Buffer) => (got += d.toString()));
      c.on('close', () => resolve(got));
      c.on('error', reject);
    });
    proxy.close();
    echo.close();
    expect(reply).toBe('hello through the proxy');
  });

  it('refuses an endpoint it cannot parse, naming the accepted form', () => {
    expect(parseEndpoint('10.96.0.1:443')).toEqual({ host: '10.96.0.1', port: 443 });
    expect(() => parseEndpoint('kubernetes:443')).toThrow('"kubernetes:443" is not an endpoint; accepted: <IPv4 address>:<port 1-65535>');
    expect(() => parseEndpoint('10.96.0.1:70000')).toThrow(/accepted/);
  });
});

describe('unpacked layers', () => {
  const a = `sha256:${'a'.repeat(64)}`;
  const b = `sha256:${'b'.repeat(64)}`;
  const c = `sha256:${'c'.repeat(64)}`;

  it('names a stack of layers by OCI chain IDs: the bottom one its diff_id, each next the digest of "<chain below> <diff_id>"', () => {
    const ab = `sha256:${createHash('sha256').update(`${a} ${b}`).digest('hex')}`;
    expect(chainIds([a])).toEqual([a]);
    expect(chainIds([a, b])).toEqual([a, ab]);
    expect(chainIds([a, b, c])[2]).toBe(`sha256:${createHash('sha256').update(`${ab} ${c}`).digest('hex')}`);
    expect(chainIds([b, a])[0]).toBe(b);
  });

  it('finds the containers that sit on a layer, however far up, and none that sit elsewhere', () => {
    const all: Snapshot[] = [
      { key: 'runtime', kind: 'Committed' },
      { key: 'app-1', parent: 'runtime', kind: 'Committed' },
      { key: 'app-2', parent: 'runtime', kind: 'Committed' },
      { key: 'pause', kind: 'Committed' },
      { key: 'ctr-on-app-1', parent: 'app-1', kind: 'Active' },
      { key: 'sandbox', parent: 'pause', kind: 'Active' },
      { key: 'view', parent: 'app-2', kind: 'View' },
    ];
    expect(activeAbove(all, new Set(['runtime'])).map((s) => s.key)).toEqual(['ctr-on-app-1']);
    expect(activeAbove(all, new Set(['app-2']))).toEqual([]);
    expect(activeAbove(all, new Set(['pause', 'app-1'])).map((s) => s.key)).toEqual(['ctr-on-app-1', 'sandbox']);
  });
});

describe('the node state file', () => {
  it('is claimed once, and other processes can add theirs to it', () => {
    const file = join(scratch, 'state.json');
    const state: RealNodeState = { nodeName: 'real-0', runDir: RUN, pids: { registry: 1 }, kubeconfig: '/k', sysctls: {}, existedBefore: [], startedAt: '' };
    claimNodeState(state, file);
    expect(() => claimNodeState(state, file)).toThrow(/is recorded in .* already/);
    recordNodeProcess('prometheus', 2, file);
    expect(readNodeState(file)?.pids).toEqual({ registry: 1, prometheus: 2 });
  });
});
