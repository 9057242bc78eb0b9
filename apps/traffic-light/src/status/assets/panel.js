// The traffic light's panel: the three lamps exactly as the GPIO lines drive them (in colour
// and in words), the phase with a countdown to its boundary, recent phases with their
// lateness, and on the mock backend the write-failure buttons.
/* global document */
import { markPressed, put, setText, startStatusPage } from './page.js';

const LAMPS = ['red', 'amber', 'green'];
let endsAt;

const phaseText = (name) => (name ? name.split('_').join(' + ') : 'all lamps off');
const late = (s) => (s < 1e-3 ? `${(s * 1e6).toFixed(0)} µs late` : `${(s * 1e3).toFixed(1)} ms late`);

function show(app) {
  for (const lamp of LAMPS) {
    const on = app.lit.includes(lamp);
    document.getElementById(`lamp-${lamp}`).classList.toggle('on', on);
    setText(`state-${lamp}`, on ? 'ON' : 'off');
  }
  const p = app.phase;
  setText('phase', phaseText(p?.name));
  setText('phase-seconds', p ? `${p.seconds} s` : '–');
  setText('cycle', p ? String(p.cycle + 1) : '–');
  endsAt = p ? performance.now() + p.remainingSeconds * 1000 : undefined;
  const items = app.recent.map((r) => {
    const li = document.createElement('li');
    li.className = r.name;
    li.textContent = `${phaseText(r.name)}: ${late(r.latenessSeconds)}`;
    return li;
  });
  document.getElementById('recent').replaceChildren(...items.reverse());
  if (app.mock) {
    setText('mock-fault', app.mock.fault);
    markPressed(document.querySelectorAll('[data-fault]'), 'fault', app.mock.fault);
  }
}

for (const b of document.querySelectorAll('[data-fault]')) {
  b.addEventListener('click', async () => {
    const reply = await put('mock/fault', b.dataset.fault);
    if (reply) {
      setText('mock-fault', reply.fault);
      markPressed(document.querySelectorAll('[data-fault]'), 'fault', reply.fault);
    }
  });
}

startStatusPage({
  snapshot: show,
  update: show,
  tick(now) {
    setText('remaining', endsAt === undefined ? '–' : `${(Math.max(0, endsAt - now) / 1000).toFixed(1)} s`);
  },
});
