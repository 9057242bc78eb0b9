// The MQTT options every GPIO service has. Without --mqtt-url none of them does anything.
// Secrets never travel as a flag's value: a command line is readable by every user of the
// machine (ps, /proc/<pid>/cmdline), so the password comes from a file or the environment.
import { readFileSync } from 'node:fs';
import { opt } from '@gpio-fleet/cli-kit';
import { TOPIC_LEVELS_FORM, parseTopicLevels } from './topics.js';

export const MQTT_URL_FORM = 'mqtt://<host>[:port], mqtts://<host>[:port], ws://<host>[:port][/path] or wss://<host>[:port][/path], without credentials';
const PROTOCOLS = ['mqtt:', 'mqtts:', 'ws:', 'wss:'] as const;

/** The broker's address, checked: one of the four transports, a host, no credentials in it. */
export function parseMqttUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new Error('not a URL');
  }
  if (!(PROTOCOLS as readonly string[]).includes(url.protocol)) throw new Error(`"${url.protocol}" is not an MQTT transport`);
  if (!url.hostname) throw new Error('it names no host');
  // A password in a URL ends up in the process list and in logs; the username goes with it.
  if (url.username || url.password) throw new Error('credentials do not belong in the URL: use --mqtt-username and --mqtt-password-file (or MQTT_PASSWORD)');
  if (url.port === '0') throw new Error('port 0 is not a broker port');
  if (url.search || url.hash) throw new Error('an MQTT URL has no query or fragment');
  if ((url.protocol === 'mqtt:' || url.protocol === 'mqtts:') && url.pathname !== '' && url.pathname !== '/') {
    throw new Error(`a path ("${url.pathname}") is only for ws:// and wss://`);
  }
  return url;
}

/** The URL as it may be shown in an error: a password in it is replaced by ***. */
export function redactUrl(raw: string): string {
  return raw.replace(/(\/\/[^/@:]*):[^/@]*@/, '$1:***@');
}

/** A file's text without the one line ending an editor or `echo` leaves at its end. */
function readSecretFile(raw: string, what: string): string {
  let text: string;
  try {
    text = readFileSync(raw, 'utf8');
  } catch (err) {
    throw new Error(`cannot read it (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { cause: err });
  }
  const value = text.replace(/\r?\n$/, '');
  if (value === '') throw new Error(`the file is empty; accepted: a readable file holding ${what}`);
  return value;
}

export function readCaFile(raw: string): string {
  const pem = readSecretFile(raw, 'PEM certificates');
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new Error('it holds no PEM certificate ("-----BEGIN CERTIFICATE-----")');
  return pem;
}

function parseBoolean(raw: string): boolean {
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new Error('not a boolean');
}

/** The values runService reads for MQTT; they come with `serviceOptions()`. */
export interface MqttOptionValues {
  mqttUrl: URL | undefined;
  mqttUsername: string | undefined;
  /** The password read from --mqtt-password-file (the option's value is the file's content). */
  mqttPasswordFile: string | undefined;
  mqttCaFile: string | undefined;
  mqttClientId: string | undefined;
  mqttTopicPrefix: string;
  mqttHeartbeat: number;
  mqttQueueSize: number;
  mqttDiscovery: boolean;
  mqttDiscoveryPrefix: string;
  mqttDiscoveryCleanup: boolean;
}

export function mqttOptions() {
  const group = 'MQTT';
  return {
    mqttUrl: opt.custom<URL>({
      flag: 'mqtt-url',
      env: 'MQTT_URL',
      placeholder: '<url>',
      accepted: MQTT_URL_FORM,
      parse: parseMqttUrl,
      redact: redactUrl,
      group,
      description:
        'Publish readings to this MQTT broker, with Home Assistant discovery, e.g. mqtt://homeassistant.local:1883. Unset: no MQTT at all. If the broker is down, GPIO and /metrics go on, the client reconnects with backoff and the oldest queued messages are dropped.',
    }),
    mqttUsername: opt.string({ flag: 'mqtt-username', env: 'MQTT_USERNAME', placeholder: '<name>', group, description: 'Username for the broker.' }),
    mqttPasswordFile: opt.custom<string>({
      flag: 'mqtt-password-file',
      env: 'MQTT_PASSWORD_FILE',
      placeholder: '<file>',
      accepted: 'a readable file holding the password (one trailing newline is ignored)',
      parse: (raw) => readSecretFile(raw, 'the password'),
      group,
      description:
        'File holding the password for --mqtt-username (or set the environment variable MQTT_PASSWORD instead). There is deliberately no --mqtt-password flag: a value on the command line is visible to every user of the machine in ps and /proc.',
    }),
    mqttCaFile: opt.custom<string>({
      flag: 'mqtt-ca-file',
      env: 'MQTT_CA_FILE',
      placeholder: '<file>',
      accepted: 'a readable file of PEM certificates',
      parse: readCaFile,
      group,
      description: "mqtts:// and wss://: trust only the CA certificates in this PEM file (e.g. a broker's own CA) instead of the built-in public ones.",
    }),
    mqttClientId: opt.string({
      flag: 'mqtt-client-id',
      env: 'MQTT_CLIENT_ID',
      placeholder: '<id>',
      group,
      description: 'MQTT client ID; unique per broker (default: <node>-<app>, the node from NODE_NAME or the host name).',
    }),
    mqttTopicPrefix: opt.custom<string>({
      flag: 'mqtt-topic-prefix',
      env: 'MQTT_TOPIC_PREFIX',
      default: 'gpio-fleet',
      placeholder: '<topic>',
      accepted: TOPIC_LEVELS_FORM,
      parse: parseTopicLevels,
      group,
      description: 'State goes to <prefix>/<node>/<app>/state (QoS 1), availability (online, offline; retained, and the last will) to <prefix>/<node>/<app>/status.',
    }),
    mqttHeartbeat: opt.duration({
      flag: 'mqtt-heartbeat',
      env: 'MQTT_HEARTBEAT',
      default: '60s',
      min: 1,
      group,
      description: "Publish the state at least this often even when it has not changed. Home Assistant's expire_after is three heartbeats.",
    }),
    mqttQueueSize: opt.number({
      flag: 'mqtt-queue-size',
      env: 'MQTT_QUEUE_SIZE',
      default: '100',
      integer: true,
      min: 1,
      max: 100000,
      group,
      description: 'State messages kept while the broker is unreachable; beyond this the oldest is dropped (counted in mqtt_messages_dropped_total).',
    }),
    mqttDiscovery: opt.custom<boolean>({
      flag: 'mqtt-discovery',
      env: 'MQTT_DISCOVERY',
      default: 'true',
      placeholder: '<true|false>',
      accepted: 'true | false',
      parse: parseBoolean,
      group,
      description: 'Publish Home Assistant discovery configs (retained), and again whenever Home Assistant announces online on <discovery prefix>/status.',
    }),
    mqttDiscoveryPrefix: opt.custom<string>({
      flag: 'mqtt-discovery-prefix',
      env: 'MQTT_DISCOVERY_PREFIX',
      default: 'homeassistant',
      placeholder: '<topic>',
      accepted: TOPIC_LEVELS_FORM,
      parse: parseTopicLevels,
      group,
      description: "Home Assistant's discovery prefix: configs go to <prefix>/<component>/<node_id>/<object_id>/config.",
    }),
    mqttDiscoveryCleanup: opt.switch({
      flag: 'mqtt-discovery-cleanup',
      env: 'MQTT_DISCOVERY_CLEANUP',
      group,
      description:
        "On a clean stop, remove this app's entities from Home Assistant (empty retained configs), as for an uninstall. Off by default: a restart or a rolling update also stops the app cleanly.",
    }),
  };
}
