// The Pod Security Standards "restricted" profile (which includes "baseline"), as a pure check
// of a pod spec. Each rule returns the places that break it, so a test can name the rule.
// Source of the rules: the Kubernetes Pod Security Standards page, restricted profile, v1.25+.

export type Json = Record<string, unknown>;

interface Container {
  name: string;
  securityContext?: Json;
  ports?: Json[];
}

interface PodSpec {
  hostNetwork?: boolean;
  hostPID?: boolean;
  hostIPC?: boolean;
  securityContext?: Json;
  volumes?: Json[];
  containers?: Container[];
  initContainers?: Container[];
  ephemeralContainers?: Container[];
}

const RESTRICTED_VOLUME_TYPES = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);

const get = (o: Json | undefined, ...path: string[]): unknown =>
  path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Json)[k] : undefined), o);

function allContainers(spec: PodSpec): Container[] {
  return [...(spec.containers ?? []), ...(spec.initContainers ?? []), ...(spec.ephemeralContainers ?? [])];
}

type Rule = (spec: PodSpec) => string[];

/** Rule name -> check returning violations ("container x: ..."). */
export const restrictedRules: Record<string, Rule> = {
  'host namespaces': (s) =>
    (['hostNetwork', 'hostPID', 'hostIPC'] as const).filter((k) => s[k] === true).map((k) => `pod: ${k} is true`),
  'privileged containers': (s) =>
    allContainers(s)
      .filter((c) => get(c.securityContext, 'privileged') === true)
      .map((c) => `container ${c.name}: privileged`),
  'HostProcess': (s) =>
    [s.securityContext, ...allContainers(s).map((c) => c.securityContext)]
      .filter((sc) => get(sc, 'windowsOptions', 'hostProcess') === true)
      .map(() => 'hostProcess is true'),
  'host ports': (s) =>
    allContainers(s).flatMap((c) =>
      (c.ports ?? []).filter((p) => Number(p.hostPort ?? 0) !== 0).map(() => `container ${c.name}: hostPort set`),
    ),
  'AppArmor': (s) =>
    [s.securityContext, ...allContainers(s).map((c) => c.securityContext)]
      .filter((sc) => get(sc, 'appArmorProfile', 'type') === 'Unconfined')
      .map(() => 'appArmorProfile Unconfined'),
  'SELinux': (s) =>
    [s.securityContext, ...allContainers(s).map((c) => c.securityContext)].flatMap((sc) => {
      const opts = get(sc, 'seLinuxOptions') as Json | undefined;
      if (!opts) return [];
      const bad: string[] = [];
      const type = opts.type === undefined ? '' : typeof opts.type === 'string' ? opts.type : JSON.stringify(opts.type);
      if (!SELINUX_TYPES.has(type)) bad.push(`seLinuxOptions.type ${type}`);
      if (opts.user) bad.push('seLinuxOptions.user set');
      if (opts.role) bad.push('seLinuxOptions.role set');
      return bad;
    }),
  '/proc mount type': (s) =>
    allContainers(s)
      .filter((c) => !['Default', undefined].includes(get(c.securityContext, 'procMount') as string | undefined))
      .map((c) => `container ${c.name}: procMount not Default`),
  'sysctls': (s) =>
    ((get(s.securityContext, 'sysctls') as Json[] | undefined) ?? [])
      .filter((x) => !SAFE_SYSCTLS.has(String(x.name)))
      .map((x) => `unsafe sysctl ${String(x.name)}`),
  'volume types': (s) =>
    (s.volumes ?? []).flatMap((v) => {
      const types = Object.keys(v).filter((k) => k !== 'name');
      return types.filter((t) => !RESTRICTED_VOLUME_TYPES.has(t)).map((t) => `volume ${String(v.name)}: type ${t}`);
    }),
  'privilege escalation': (s) =>
    allContainers(s)
      .filter((c) => get(c.securityContext, 'allowPrivilegeEscalation') !== false)
      .map((c) => `container ${c.name}: allowPrivilegeEscalation is not false`),
  'running as non-root': (s) => {
    const podNonRoot = get(s.securityContext, 'runAsNonRoot');
    return allContainers(s).flatMap((c) => {
      const own = get(c.securityContext, 'runAsNonRoot');
      if (own === false) return [`container ${c.name}: runAsNonRoot false`];
      if (own !== true && podNonRoot !== true) return [`container ${c.name}: runAsNonRoot not true`];
      return [];
    });
  },
  'running as non-root user': (s) =>
    [['pod', s.securityContext] as const, ...allContainers(s).map((c) => [`container ${c.name}`, c.securityContext] as const)]
      .filter(([, sc]) => get(sc, 'runAsUser') === 0)
      .map(([where]) => `${where}: runAsUser 0`),
  'seccomp': (s) => {
    const podType = get(s.securityContext, 'seccompProfile', 'type');
    const ok = (t: unknown): boolean => t === 'RuntimeDefault' || t === 'Localhost';
    const bad: string[] = [];
    if (podType !== undefined && !ok(podType)) bad.push(`pod: seccompProfile ${JSON.stringify(podType)}`);
    for (const c of allContainers(s)) {
      const own = get(c.securityContext, 'seccompProfile', 'type');
      if (own !== undefined ? !ok(own) : !ok(podType)) bad.push(`container ${c.name}: seccompProfile not RuntimeDefault/Localhost`);
    }
    return bad;
  },
  'capabilities': (s) =>
    allContainers(s).flatMap((c) => {
      const drop = (get(c.securityContext, 'capabilities', 'drop') as string[] | undefined) ?? [];
      const add = (get(c.securityContext, 'capabilities', 'add') as string[] | undefined) ?? [];
      const bad: string[] = [];
      if (!drop.includes('ALL')) bad.push(`container ${c.name}: capabilities.drop lacks ALL`);
      for (const a of add.filter((x) => x !== 'NET_BIND_SERVICE')) bad.push(`container ${c.name}: adds ${a}`);
      return bad;
    }),
};

/** All violations of the restricted profile, each prefixed with its rule. */
export function restrictedViolations(spec: PodSpec): string[] {
  return Object.entries(restrictedRules).flatMap(([rule, check]) => check(spec).map((v) => `${rule}: ${v}`));
}
