// The light sensor's panel: lux and level now, the last 10 minutes as a chart (log scale),
// counts by result, the fault state, and on the mock backend the light and fault controls.
/* global document, window */
import { markPressed, put, setText, startStatusPage } from './page.js';

const SVG = 'http://www.w3.org/2000/svg';
const CHART_HEIGHT = 220;
const chart = document.getElementById('chart');

let points = [];
let windowSeconds = 600;

const formatLux = (v) => (v === null || v === undefined ? '–' : v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toPrecision(3));
const decadeLabel = (k) => (k >= 3 ? `${10 ** (k - 3)}k` : String(10 ** k));

function svg(name, attrs, text) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

function drawChart() {
  // Drawn at the chart's own pixel width, so its labels stay readable on a phone and a desktop.
  const width = Math.max(240, Math.round(chart.clientWidth || 640));
  const CHART = { left: 44, right: width - 18, top: 10, bottom: CHART_HEIGHT - 28, labelY: CHART_HEIGHT - 8 };
  chart.setAttribute('viewBox', `0 0 ${width} ${CHART_HEIGHT}`);
  const latest = points.at(-1)?.t ?? 0;
  const seen = points.filter((p) => p.lux !== null).map((p) => Math.log10(Math.max(p.lux, 1e-3)));
  const lo = seen.length ? Math.floor(Math.min(...seen)) : 0;
  const hi = Math.max(lo + 1, seen.length ? Math.ceil(Math.max(...seen)) : 3);
  const x = (t) => CHART.left + (1 - (latest - t) / windowSeconds) * (CHART.right - CHART.left);
  const y = (lux) => CHART.bottom - ((Math.log10(Math.max(lux, 1e-3)) - lo) / (hi - lo)) * (CHART.bottom - CHART.top);
  const grid = [];
  for (let k = lo; k <= hi; k++) {
    const yy = y(10 ** k).toFixed(1);
    grid.push(svg('line', { x1: CHART.left, x2: CHART.right, y1: yy, y2: yy }), svg('text', { x: CHART.left - 6, y: Number(yy) + 4, 'text-anchor': 'end' }, decadeLabel(k)));
  }
  for (let m = 0; m <= windowSeconds / 60; m += width < 480 ? 5 : 2) {
    const xx = x(latest - m * 60).toFixed(1);
    grid.push(svg('line', { x1: xx, x2: xx, y1: CHART.top, y2: CHART.bottom }), svg('text', { x: xx, y: CHART.labelY, 'text-anchor': 'middle' }, m === 0 ? 'now' : `-${m} min`));
  }
  document.getElementById('chart-grid').replaceChildren(...grid);
  let d = '';
  let pen = 'M';
  for (const p of points) {
    if (p.lux === null) {
      pen = 'M'; // a failed stretch is a gap, not a line to zero
      continue;
    }
    d += `${pen}${x(p.t).toFixed(1)} ${y(p.lux).toFixed(1)}`;
    pen = 'L';
  }
  document.getElementById('chart-line').setAttribute('d', d);
}

function showReading(counts, fault) {
  const last = points.at(-1);
  setText('lux', formatLux(last?.lux));
  setText('level', last?.level === null || last?.level === undefined ? '–' : last.level.toFixed(3));
  document.getElementById('level-meter').value = last?.level ?? 0;
  for (const r of ['ok', 'timeout', 'error']) setText(`count-${r}`, String(counts[r]));
  const state = document.getElementById('sensor-state');
  if (!last) state.textContent = 'waiting for the first reading…';
  else if (fault.failing) state.textContent = `FAULT: ${fault.windowSize - fault.okInWindow} of the last ${fault.windowSize} readings failed (${fault.lastFailure?.result ?? 'unknown'}); lux and level are unknown`;
  else state.textContent = `OK: ${fault.okInWindow} of the last ${fault.windowSize} readings good`;
  state.classList.toggle('bad', Boolean(fault.failing));
  const f = fault.lastFailure;
  setText('last-failure', f ? `last failure: ${f.result}${f.error ? ` (${f.error})` : ''}, ${Math.round((last?.t ?? f.t) - f.t)} s ago` : 'no failed reading');
}

const slider = document.getElementById('lux-control');
const luxFromSlider = () => Number((10 ** Number(slider.value)).toPrecision(2));

function showWorld(mock) {
  if (!mock) return;
  // A schedule says what it is; the lux it gives right now follows.
  setText('mock-light', /^[\d.]+ lux/.test(mock.light) ? mock.light : `${mock.light}, now ${formatLux(mock.lux)} lux`);
  setText('mock-fault', mock.fault);
  markPressed(document.querySelectorAll('[data-fault]'), 'fault', mock.fault);
  // Never move the slider under the user's hand.
  if (document.activeElement !== slider) {
    slider.value = String(Math.log10(Math.max(mock.lux, 0.1)));
    setText('lux-control-value', formatLux(mock.lux));
  }
}

window.addEventListener('resize', drawChart);
slider.addEventListener('input', () => setText('lux-control-value', formatLux(luxFromSlider())));
slider.addEventListener('change', async () => showWorld(await put('mock/lux', String(luxFromSlider()))));
for (const b of document.querySelectorAll('[data-lux]')) {
  b.addEventListener('click', async () => {
    slider.blur();
    showWorld(await put('mock/lux', b.dataset.lux));
  });
}
for (const b of document.querySelectorAll('[data-fault]')) b.addEventListener('click', async () => showWorld(await put('mock/fault', b.dataset.fault)));

startStatusPage({
  snapshot(app) {
    windowSeconds = app.windowSeconds;
    points = app.history;
    showReading(app.counts, app.fault);
    showWorld(app.mock);
    drawChart();
  },
  update(u) {
    points.push(u.point);
    while (points.length && points[0].t < u.point.t - windowSeconds) points.shift();
    showReading(u.counts, u.fault);
    showWorld(u.mock);
    drawChart();
  },
});
