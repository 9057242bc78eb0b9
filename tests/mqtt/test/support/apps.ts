// The apps as a user runs them (the built CLI on the mock GPIO), pointed at a test broker.
import { httpText, sampleValue, startApp, type Started } from '@gpio-fleet/test-tools';
import { USER, type Broker } from './broker.js';

export type AppName = 'light-sensor' | 'traffic-light';

export interface MqttApp {
  proc: Started;
  url: string;
  /** <prefix>/<node>/<app>/{state,status} with the default prefix. */
  stateTopic: string;
  statusTopic: string;
  /** One sample of the app's /metrics. */
  metric(name: string, labels?: Record<string, string>): Promise<number | undefined>;
}

/** The flags that reach `broker` over `transport` with the test user. */
export function brokerArgs(broker: Broker, transport: keyof Broker['urls'] = 'mqtt'): string[] {
  const tls = transport === 'mqtts' || transport === 'wss';
  return ['--mqtt-url', broker.urls[transport], '--mqtt-username', USER, '--mqtt-password-file', broker.passwordFile, ...(tls ? ['--mqtt-ca-file', broker.caFile] : [])];
}

export async function startMqttApp(app: AppName, node: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<MqttApp> {
  const { proc, url } = await startApp(app, ['--gpio', 'mock', '--log-format', 'json', ...args], { NODE_NAME: node, ...env });
  return {
    proc,
    url,
    stateTopic: `gpio-fleet/${node}/${app}/state`,
    statusTopic: `gpio-fleet/${node}/${app}/status`,
    async metric(name, labels) {
      const text = await httpText(`${url}/metrics`);
      return text === undefined ? undefined : sampleValue(text, name, labels);
    },
  };
}
