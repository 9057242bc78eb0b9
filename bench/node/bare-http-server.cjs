// The floor of the benchmark: this machine's Node with an HTTP server that answers a scrape
// and does nothing else. Whatever our light-sensor costs above this is what the app adds.
// Takes the flags the apps take and uses --port and --host (0 picks a free port); logs one
// JSON line with the port to stderr; stops on SIGTERM and SIGINT.
//
// --wakes 0,100,102 adds empty timers at those milliseconds into every second: the wake-ups an
// RC reading needs (drive LOW, the end of the discharge, the edge), with nothing done in them.
// That floor is what no reading on this Node can cost less than.
const http = require('node:http');

const flag = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
};

const wakes = (flag('wakes', '') || '').split(',').filter(Boolean).map(Number);
if (wakes.some((w, i) => !Number.isInteger(w) || w < 0 || w >= 1000 || (i > 0 && w <= wakes[i - 1]))) {
  process.stderr.write(`--wakes "${flag('wakes', '')}": expected increasing whole milliseconds within a second, e.g. 0,100,102\n`);
  process.exit(2);
}

const body = '# HELP up The process answers.\n# TYPE up gauge\nup 1\n';
const server = http.createServer((req, res) => {
  const found = req.url === '/metrics' || req.url === '/readyz' || req.url === '/healthz';
  res.writeHead(found ? 200 : 404, { 'content-type': 'text/plain; version=0.0.4' });
  res.end(found ? body : 'not found\n');
});
server.listen(Number(flag('port', '0')), flag('host', '127.0.0.1'), () => {
  process.stderr.write(`${JSON.stringify({ msg: 'listening', port: server.address().port, wakes })}\n`);
});

let second;
if (wakes.length > 0) {
  // Each timer armed from the one before, as a reading arms its next step.
  const chain = (i) => {
    if (i < wakes.length) setTimeout(() => chain(i + 1), wakes[i] - (i === 0 ? 0 : wakes[i - 1]));
  };
  second = setInterval(() => chain(1), 1000);
  chain(1);
}
// What is left of the current second's chain (at most 100 ms) runs out; then nothing holds the process.
const stop = () => {
  clearInterval(second);
  server.close();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
