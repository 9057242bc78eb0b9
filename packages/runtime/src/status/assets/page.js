// The status page's shared script: the live connection (server-sent events from
// status/events: one snapshot, then updates), the header and footer (backend, version, node,
// uptime, pins), the mock-only controls, and small helpers for the app's panel.js, which
// imports this module and calls startStatusPage() with its own snapshot/update/tick.
// Every URL is relative, so the page works unchanged under the API server's pod proxy.
/* global document, EventSource */

const byId = (id) => document.getElementById(id);

/** Sets an element's text, touching the DOM only when it changes. */
export function setText(id, text) {
  const e = byId(id);
  if (e.textContent !== text) e.textContent = text;
}

export function formatDuration(seconds) {
  const s = Math.floor(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** Shows a problem above the panels (or clears it with no text). */
export function notice(text) {
  const n = byId('notice');
  n.hidden = !text;
  n.textContent = text || '';
}

/** PUT to one of the mock's routes; resolves with its JSON reply, or undefined after showing why it was refused. */
export async function put(path, body) {
  try {
    const res = await fetch(path, { method: 'PUT', body });
    const reply = await res.json();
    if (!res.ok) {
      notice(reply.error || `${path}: HTTP ${res.status}`);
      return undefined;
    }
    notice('');
    return reply;
  } catch (e) {
    notice(`${path}: ${e.message}`);
    return undefined;
  }
}

/** Marks which of `buttons` (by their data-`key`) is the current `value`. */
export function markPressed(buttons, key, value) {
  for (const b of buttons) b.setAttribute('aria-pressed', String(b.dataset[key] === value));
}

function showService(s) {
  const badge = byId('backend');
  badge.textContent = s.simulated ? `SIMULATED: ${s.backend} backend, no real hardware` : `${s.backend}: real GPIO`;
  badge.className = `badge ${s.simulated ? 'mock' : 'real'}`;
  setText('version', s.version);
  setText('node', s.node || 'not set (NODE_NAME)');
  setText('pins', s.pins.map((p) => `${p.role}: ${p.names}`).join('; '));
  // The mock's controls exist only on the mock backend; on real GPIO the page only reads.
  for (const e of document.querySelectorAll('.mock-only')) e.hidden = !s.simulated;
}

/**
 * Starts the page. `panel.snapshot(app, service)` gets the app's whole state when the stream
 * (re)opens, `panel.update(app)` each update, `panel.tick(now)` runs ten times a second for
 * countdowns (`now` is performance.now()).
 */
export function startStatusPage(panel) {
  let service;
  let receivedAt = 0;
  let source;
  let retry;
  const connection = (text, lost) => {
    const c = byId('connection');
    c.textContent = text;
    c.classList.toggle('lost', lost);
  };
  const connect = () => {
    clearTimeout(retry);
    source = new EventSource('status/events');
    source.addEventListener('snapshot', (e) => {
      const s = JSON.parse(e.data);
      service = s.service;
      receivedAt = performance.now();
      showService(service);
      panel.snapshot(s.app, service);
      connection('live', false);
    });
    source.addEventListener('update', (e) => panel.update(JSON.parse(e.data)));
    source.addEventListener('error', () => {
      connection('connection lost, retrying…', true);
      // EventSource retries by itself unless the server refused the stream outright.
      if (source.readyState === EventSource.CLOSED) {
        source = undefined;
        retry = setTimeout(connect, 3000);
      }
    });
  };
  // A hidden tab holds no connection: a browser opens only a few to one server at a time.
  document.addEventListener('visibilitychange', () => {
    if (document.hidden) {
      source?.close();
      source = undefined;
      connection('paused while hidden', false);
    } else if (!source) connect();
  });
  setInterval(() => {
    const now = performance.now();
    if (service) setText('uptime', formatDuration(service.uptimeSeconds + (now - receivedAt) / 1000));
    panel.tick?.(now);
  }, 100);
  if (!document.hidden) connect();
}
