// The restricted-profile checker used on rendered pods must catch each kind of violation.
import { describe, expect, it } from 'vitest';
import { restrictedRules, restrictedViolations } from './support/pod-security.js';

const good = () => ({
  securityContext: { runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [
    {
      name: 'app',
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true },
      ports: [{ containerPort: 9110 }],
    },
  ],
  volumes: [{ name: 'tmp', emptyDir: {} }],
});

type Spec = ReturnType<typeof good> & Record<string, unknown>;
const bad: Record<string, (s: Spec) => void> = {
  'host namespaces': (s) => (s.hostNetwork = true),
  'privileged containers': (s) => Object.assign(s.containers[0]!.securityContext, { privileged: true }),
  HostProcess: (s) => Object.assign(s.securityContext, { windowsOptions: { hostProcess: true } }),
  'host ports': (s) => Object.assign(s.containers[0]!.ports[0]!, { hostPort: 9110 }),
  AppArmor: (s) => Object.assign(s.securityContext, { appArmorProfile: { type: 'Unconfined' } }),
  SELinux: (s) => Object.assign(s.securityContext, { seLinuxOptions: { type: 'spc_t' } }),
  '/proc mount type': (s) => Object.assign(s.containers[0]!.securityContext, { procMount: 'Unmasked' }),
  sysctls: (s) => Object.assign(s.securityContext, { sysctls: [{ name: 'kernel.msgmax', value: '1' }] }),
  'volume types': (s) => s.volumes.push({ name: 'dev', hostPath: { path: '/dev/mem' } } as never),
  'privilege escalation': (s) => delete (s.containers[0]!.securityContext as Record<string, unknown>).allowPrivilegeEscalation,
  'running as non-root': (s) => delete (s.securityContext as Record<string, unknown>).runAsNonRoot,
  'running as non-root user': (s) => Object.assign(s.containers[0]!.securityContext, { runAsUser: 0 }),
  seccomp: (s) => delete (s.securityContext as Record<string, unknown>).seccompProfile,
  capabilities: (s) => Object.assign(s.containers[0]!.securityContext, { capabilities: { drop: ['ALL'], add: ['SYS_RAWIO'] } }),
};

describe('restricted profile checker', () => {
  it('passes a compliant pod', () => {
    expect(restrictedViolations(good())).toEqual([]);
  });

  it('has a breaking example for every rule', () => {
    expect(Object.keys(bad).sort()).toEqual(Object.keys(restrictedRules).sort());
  });

  it.each(Object.keys(bad))('flags a pod breaking: %s', (rule) => {
    const spec = good() as Spec;
    bad[rule]!(spec);
    expect(restrictedRules[rule]!(spec).length).toBeGreaterThan(0);
    expect(restrictedViolations(spec).every((v) => v.startsWith(`${rule}: `))).toBe(true);
  });
});
