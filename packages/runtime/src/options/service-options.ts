// The options every GPIO service has: which backend and chip, where to listen, how to log,
// and where to publish on MQTT.
import { BACKEND_NAMES, parseBackendChoice, type BackendChoice } from '@gpio-fleet/gpio';
import { LOG_FORMATS, LOG_LEVELS, opt, type LogFormatChoice, type LogLevel } from '@gpio-fleet/cli-kit';
import { mqttOptions, type MqttOptionValues } from '../mqtt/mqtt-options.js';

/** The values runService reads; an app's options spread `serviceOptions()` to have them. */
export interface ServiceOptionValues extends MqttOptionValues {
  gpio: BackendChoice;
  gpioChip: string | undefined;
  port: number;
  host: string;
  logLevel: LogLevel;
  logFormat: LogFormatChoice;
}

export function serviceOptions(defaults: { port: number }) {
  return {
    gpio: opt.custom<BackendChoice>({
      flag: 'gpio',
      env: 'GPIO_BACKEND',
      default: 'auto',
      placeholder: `<${BACKEND_NAMES.join('|')}>`,
      accepted: BACKEND_NAMES.join(' | '),
      parse: parseBackendChoice,
      group: 'GPIO',
      description:
        'GPIO backend. auto uses a real backend on a Raspberry Pi (gpiochip, then pigpio, then onoff) and fails if none starts; on any other machine it uses the simulated mock and says so.',
    }),
    gpioChip: opt.string({
      flag: 'gpio-chip',
      env: 'GPIO_CHIP',
      placeholder: '<chip>',
      group: 'GPIO',
      description: 'gpiochip backend: the chip to use, e.g. gpiochip0 or /dev/gpiochip4 (default: found by its Raspberry Pi label).',
    }),
    port: opt.number({
      flag: 'port',
      env: 'METRICS_PORT',
      default: String(defaults.port),
      integer: true,
      min: 0,
      max: 65535,
      group: 'HTTP',
      description: 'Port for the status page at /, /metrics, /healthz and /readyz (0 picks a free port).',
    }),
    host: opt.string({
      flag: 'host',
      env: 'METRICS_HOST',
      default: '0.0.0.0',
      placeholder: '<address>',
      group: 'HTTP',
      description: 'Address to listen on.',
    }),
    logLevel: opt.oneOf({ flag: 'log-level', env: 'LOG_LEVEL', default: 'info', values: LOG_LEVELS, group: 'Logging', description: 'Least severe log level to print.' }),
    logFormat: opt.oneOf({
      flag: 'log-format',
      env: 'LOG_FORMAT',
      default: 'auto',
      values: LOG_FORMATS,
      group: 'Logging',
      description:
        'How log lines on stderr look: json (one object per line, for collectors), pretty (HH:MM:SS.mmm level msg key=value, coloured on a terminal unless NO_COLOR is set), or auto: pretty when stderr is a terminal, json otherwise (so Kubernetes and systemd keep JSON).',
    }),
    ...mqttOptions(),
  };
}
