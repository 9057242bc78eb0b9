'use strict';
// Runs inside the VM on the Node runtime our executables embed, with the gpiochip.node that
// ships beside them: requests one line for both edges and records every event exactly as the
// addon hands it to JavaScript (kernel timestamp, edge, line sequence number), while
// `simhelper toggle` drives the line. Prints one JSON object on stdout; the suite compares
// the timestamps with the helper's own CLOCK_MONOTONIC stamps of each toggle. SEEN_FILE holds
// the number of events received so far: the helper makes the next edge only after it.
//
//   node edge-probe.cjs ADDON CHIPDEV OFFSET COUNT SEEN_FILE
const { writeFileSync } = require('node:fs');

const [addonPath, chip, offsetArg, countArg, seenFile] = process.argv.slice(2);
const count = Number(countArg);
if (!addonPath || !chip || !Number.isInteger(Number(offsetArg)) || !Number.isInteger(count) || count < 1 || !seenFile) {
  process.stderr.write('usage: node edge-probe.cjs ADDON CHIPDEV OFFSET COUNT SEEN_FILE\n');
  process.exit(2);
}

const mod = { exports: {} };
process.dlopen(mod, addonPath);
const addon = mod.exports;
const c = addon.constants;

const fd = addon.openChip(chip);
const line = addon.requestLine(fd, Number(offsetArg), 'edge-probe', c.FLAG_INPUT | c.FLAG_EDGE_RISING | c.FLAG_EDGE_FALLING, 0);
const events = [];
const startNs = addon.monotonicNs();

function finish(result) {
  clearTimeout(timer);
  addon.lineRelease(line);
  addon.closeFd(fd);
  const report = { result, arch: process.arch, node: process.version, lineEventSize: c.LINE_EVENT_SIZE, startNs, endNs: addon.monotonicNs(), events };
  process.stdout.write(`${JSON.stringify(report)}\n`);
  process.exitCode = result === 'ok' ? 0 : 1;
}

// Generous: under emulation every edge's round trip (helper, kernel, JavaScript, helper) is slow.
const timer = setTimeout(() => finish(`timeout after ${events.length} of ${count} events`), 60_000);
addon.lineWatch(line, (timestampNs, rising, lineSeqno) => {
  events.push({ tNs: timestampNs, rising, lineSeqno, seenNs: addon.monotonicNs() });
  if (events.length === count) finish('ok');
  else writeFileSync(seenFile, String(events.length));
});
// The helper starts toggling once the watch is live.
writeFileSync(seenFile, '0');
