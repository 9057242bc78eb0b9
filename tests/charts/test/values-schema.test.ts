// values.schema.json: wrong values fail `helm template` (and so `helm install`) with a message
// that names the key; the two charts' schemas agree on everything they share.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { render, templateFailure } from './support/helm.js';
import { appCharts, chartPath } from './support/paths.js';

type Schema = { properties: Record<string, unknown>; definitions: Record<string, unknown>; required: string[] };
const schemaOf = (chart: string): Schema =>
  JSON.parse(readFileSync(join(chartPath(chart), 'values.schema.json'), 'utf8')) as Schema;
const valuesOf = (chart: string): Record<string, unknown> =>
  parse(readFileSync(join(chartPath(chart), 'values.yaml'), 'utf8')) as Record<string, unknown>;

const appKeys = { 'light-sensor': ['sensor', 'mock', 'alerts'], 'traffic-light': ['lights', 'alerts'] } as const;

/** Runs helm template with one bad --set and returns helm's error output. */
function rejection(chart: string, ...set: string[]): string {
  const res = templateFailure(chart, { set });
  expect(res.status, `helm template ${chart} --set ${set.join(' ')} should fail`).not.toBe(0);
  return res.stderr;
}

describe('values schema rejects bad values, naming the key', () => {
  for (const chart of appCharts) {
    it(`${chart.name}: gpio.access=bogus`, () => {
      const err = rejection(chart.name, 'gpio.access=bogus');
      expect(err).toContain("values don't meet the specifications of the schema");
      expect(err).toMatch(/at '\/gpio\/access'.*'devicePlugin', 'privileged', 'none'/);
    });

    it(`${chart.name}: a string nodeSelector`, () => {
      expect(rejection(chart.name, 'nodeSelector=raspberry')).toMatch(/at '\/nodeSelector': got string, want object/);
    });

    it(`${chart.name}: a misspelled key`, () => {
      expect(rejection(chart.name, 'gpio.acess=none')).toMatch(/at '\/gpio': additional properties 'acess' not allowed/);
      expect(rejection(chart.name, 'nodeselector.device=pi')).toMatch(/at '': additional properties 'nodeselector' not allowed/);
    });

    it(`${chart.name}: an unknown privileged backend, a root-only port, a bad digest, a bad resource name`, () => {
      expect(rejection(chart.name, 'gpio.privileged.backend=wiringpi')).toMatch(/at '\/gpio\/privileged\/backend'/);
      expect(rejection(chart.name, 'metrics.port=80')).toMatch(/at '\/metrics\/port': minimum/);
      expect(rejection(chart.name, 'image.digest=latest')).toMatch(/at '\/image\/digest'/);
      expect(rejection(chart.name, 'gpio.devicePlugin.resource=gpio')).toMatch(/at '\/gpio\/devicePlugin\/resource'/);
      expect(rejection(chart.name, 'updateStrategy.type=Recreate')).toMatch(/at '\/updateStrategy\/type'/);
      expect(rejection(chart.name, 'serviceMonitor.interval=often')).toMatch(/at '\/serviceMonitor\/interval'/);
    });

    it(`${chart.name}: bad alert, network policy and platform values`, () => {
      expect(rejection(chart.name, 'prometheusRule.down.for=soon')).toMatch(/at '\/prometheusRule\/down\/for'/);
      expect(rejection(chart.name, 'prometheusRule.selector=job=light')).toMatch(/at '\/prometheusRule\/selector'/);
      expect(rejection(chart.name, 'prometheusRule.runbookBaseUrl=README.md')).toMatch(/at '\/prometheusRule\/runbookBaseUrl'/);
      expect(rejection(chart.name, 'prometheusRule.backendSimulated.nodeLabelValue=a b')).toMatch(/at '\/prometheusRule\/backendSimulated\/nodeLabelValue'/);
      expect(rejection(chart.name, 'networkPolicy.enabled=maybe')).toMatch(/at '\/networkPolicy\/enabled'/);
      expect(rejection(chart.name, 'networkPolicy.prometheusPodLabels.app=1')).toMatch(/at '\/networkPolicy\/prometheusPodLabels\/app': got number, want string/);
      expect(rejection(chart.name, 'image.platforms={arm64}')).toMatch(/at '\/image\/platforms\/0'/);
      expect(() => render(chart.name, { set: ['prometheusRule.enabled=true', 'prometheusRule.selector=job="gpio/x"\\,namespace=~"gpio|lab"'] })).not.toThrow();
    });

    it(`${chart.name}: commonLabels that are not label names and values`, () => {
      expect(rejection(chart.name, 'commonLabels.team=1')).toMatch(/at '\/commonLabels\/team': got number, want string/);
      expect(rejection(chart.name, 'commonLabels.team=a b')).toMatch(/at '\/commonLabels\/team': 'a b' does not match pattern/);
      expect(rejection(chart.name, `commonLabels.team=${'x'.repeat(64)}`)).toMatch(/at '\/commonLabels\/team': maxLength: got 64, want 63/);
      expect(rejection(chart.name, 'commonLabels.-team=iot')).toMatch(/at '\/commonLabels': additional properties '-team' not allowed/);
      expect(rejection(chart.name, 'commonlabels.team=iot')).toMatch(/at '': additional properties 'commonlabels' not allowed/);
    });

    it(`${chart.name}: a global.imageRegistry with a scheme or a trailing slash`, () => {
      expect(rejection(chart.name, 'global.imageRegistry=https://mirror.example.com')).toMatch(/at '\/global\/imageRegistry': 'https:\/\/mirror.example.com' does not match pattern/);
      expect(rejection(chart.name, 'global.imageRegistry=mirror.example.com/')).toMatch(/at '\/global\/imageRegistry'/);
      expect(rejection(chart.name, 'global.imageRegistry=1')).toMatch(/at '\/global\/imageRegistry': got number, want string/);
    });

    it(`${chart.name}: accepts the values of every documented form`, () => {
      expect(() => render(chart.name, { set: ['gpio.access=none', 'serviceMonitor.interval=1m30s', 'updateStrategy.rollingUpdate.maxUnavailable=25%'] })).not.toThrow();
      expect(() =>
        render(chart.name, { set: ['commonLabels.team=iot', 'commonLabels.example\\.com/site=berlin-1', 'commonLabels.empty=', 'global.imageRegistry=registry.example.com:5000/ghcr-proxy'] }),
      ).not.toThrow();
      // A parent chart's globals for its other dependencies reach this chart too.
      expect(() => render(chart.name, { set: ['global.storageClass=fast', 'global.imageRegistry=registry.example.com'] })).not.toThrow();
    });
  }

  it('light-sensor: a negative or zero interval, and durations without the duration form', () => {
    expect(rejection('light-sensor', 'sensor.interval=-1s')).toMatch(/at '\/sensor\/interval': '-1s' does not match pattern/);
    expect(rejection('light-sensor', 'sensor.interval=-1')).toMatch(/at '\/sensor\/interval': got number, want string/);
    expect(rejection('light-sensor', 'sensor.interval=0s')).toMatch(/at '\/sensor\/interval'/);
    expect(rejection('light-sensor', 'sensor.timeout=1sec')).toMatch(/at '\/sensor\/timeout'/);
    expect(() => render('light-sensor', { set: ['sensor.interval=1.5s', 'sensor.timeout=750ms', 'sensor.discharge=0.2'] })).not.toThrow();
  });

  it('light-sensor: bad pin, pull, calibration and mock values', () => {
    expect(rejection('light-sensor', 'sensor.pin=PIN7')).toMatch(/at '\/sensor\/pin'/);
    expect(rejection('light-sensor', 'sensor.pin=40')).toMatch(/at '\/sensor\/pin': maximum/);
    expect(rejection('light-sensor', 'sensor.pull=up')).toMatch(/at '\/sensor\/pull'/);
    expect(rejection('light-sensor', 'sensor.calibration.r10=-5')).toMatch(/at '\/sensor\/calibration\/r10'/);
    expect(rejection('light-sensor', 'sensor.calibration.gamma=steep')).toMatch(/at '\/sensor\/calibration\/gamma'/);
    expect(rejection('light-sensor', 'sensor.queueLen=0')).toMatch(/at '\/sensor\/queueLen'/);
    expect(rejection('light-sensor', 'mock.lux=sunny')).toMatch(/at '\/mock\/lux'/);
    expect(rejection('light-sensor', 'mock.fault=smoke')).toMatch(/at '\/mock\/fault'/);
    expect(() => render('light-sensor', { set: ['mock.lux=daynight:5m:1:10000', 'sensor.pin=J8:7'] })).not.toThrow();
    expect(() => render('light-sensor', { set: ['mock.lux=steps:1\\,100\\,1000@10s'] })).not.toThrow();
  });

  it('traffic-light: bad phases and pins', () => {
    expect(rejection('traffic-light', 'lights.phases=red:-1s')).toMatch(/at '\/lights\/phases'/);
    expect(rejection('traffic-light', 'lights.phases=red 3s')).toMatch(/at '\/lights\/phases'/);
    expect(rejection('traffic-light', 'lights.pins.red=LED1')).toMatch(/at '\/lights\/pins\/red'/);
    expect(rejection('traffic-light', 'lights.pins.blue=WPI1')).toMatch(/at '\/lights\/pins': additional properties 'blue'/);
  });

  it('alert thresholds: ratios and quantiles between 0 and 1, Prometheus durations', () => {
    expect(rejection('light-sensor', 'alerts.timeouts.ratio=1.5')).toMatch(/at '\/alerts\/timeouts\/ratio'/);
    expect(rejection('light-sensor', 'alerts.noReadings.window=5 minutes')).toMatch(/at '\/alerts\/noReadings\/window'/);
    expect(rejection('light-sensor', 'alerts.stuck.windw=5m')).toMatch(/at '\/alerts\/stuck': additional properties 'windw'/);
    expect(rejection('traffic-light', 'alerts.late.quantile=99')).toMatch(/at '\/alerts\/late\/quantile'/);
    expect(rejection('traffic-light', 'alerts.late.seconds=0')).toMatch(/at '\/alerts\/late\/seconds'/);
    expect(rejection('traffic-light', 'alerts.stopped.window=1.5m')).toMatch(/at '\/alerts\/stopped\/window'/);
  });
});

describe('values schemas', () => {
  it('are the same in both charts for every shared key', () => {
    const [a, b] = appCharts.map((c) => schemaOf(c.name)) as [Schema, Schema];
    const shared = (s: Schema, chart: keyof typeof appKeys): Record<string, unknown> =>
      Object.fromEntries(Object.entries(s.properties).filter(([k]) => !(appKeys[chart] as readonly string[]).includes(k)));
    expect(shared(a, 'light-sensor')).toEqual(shared(b, 'traffic-light'));
    expect(a.definitions).toEqual(b.definitions);
  });

  it('are strict: every object we own rejects unknown keys (global is shared with parent charts)', () => {
    for (const chart of appCharts) {
      const loose: string[] = [];
      const visit = (node: unknown, path: string): void => {
        if (!node || typeof node !== 'object') return;
        const n = node as Record<string, unknown>;
        if (n.properties) {
          // A parent chart may set globals for its other dependencies; this chart reads only
          // the ones it declares, each of which is checked.
          if (n.additionalProperties !== false && path !== '/global') loose.push(path);
          for (const [k, v] of Object.entries(n.properties as Record<string, unknown>)) visit(v, `${path}/${k}`);
        }
        if (n.definitions) for (const [k, v] of Object.entries(n.definitions as Record<string, unknown>)) visit(v, `#${k}`);
      };
      visit(schemaOf(chart.name), '');
      expect(loose, chart.name).toEqual([]);
    }
  });

  it('cover exactly the keys of values.yaml (plus the one Helm adds for the library)', () => {
    for (const chart of appCharts) {
      const schemaKeys = Object.keys(schemaOf(chart.name).properties).filter((k) => k !== 'gpio-fleet-common');
      expect(schemaKeys.sort()).toEqual(Object.keys(valuesOf(chart.name)).sort());
    }
  });
});

describe('values.yaml', () => {
  it('is the same in both charts outside the app settings, apart from image, port and names', () => {
    const [a, b] = appCharts.map((c) => {
      const v = valuesOf(c.name);
      for (const k of appKeys[c.name]) delete v[k];
      (v.image as Record<string, unknown>).repository = '<app>';
      (v.metrics as Record<string, unknown>).port = '<port>';
      (v.service as Record<string, unknown>).port = '<port>';
      (v.prometheusRule as Record<string, unknown>).runbookBaseUrl = '<README of the chart>';
      return v;
    });
    expect(a).toEqual(b);
  });
});
