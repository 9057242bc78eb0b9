// The floor of the benchmark: this machine's Node with an HTTP server that answers a scrape
// and does nothing else. Whatever our light-sensor costs above this is what the app adds.
// Takes the flags the apps take and uses --port and --host (0 picks a free port); logs one
// JSON line with the port to stderr; stops on SIGTERM and SIGINT.
const http = require('node:http');

const flag = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
};

const body = '# HELP up The process answers.\n# TYPE up gauge\nup 1\n';
const server = http.createServer((req, res) => {
  const found = req.url === '/metrics' || req.url === '/readyz' || req.url === '/healthz';
  res.writeHead(found ? 200 : 404, { 'content-type': 'text/plain; version=0.0.4' });
  res.end(found ? body : 'not found\n');
});
server.listen(Number(flag('port', '0')), flag('host', '127.0.0.1'), () => {
  process.stderr.write(`${JSON.stringify({ msg: 'listening', port: server.address().port })}\n`);
});
const stop = () => server.close();
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
