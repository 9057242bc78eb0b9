#!/usr/bin/env node
// Builds the gpiochip N-API addon with plain gcc, one shared object per target:
//   build/linux-x64/gpiochip.node    (gcc)
//   build/linux-arm64/gpiochip.node  (aarch64-linux-gnu-gcc)
//   build/linux-armv7/gpiochip.node  (arm-linux-gnueabihf-gcc)
// Usage: node build.mjs [x64|arm64|armv7|all ...]   (default: this machine's arch, what `npm run build` needs)
//        node build.mjs --check-layout [TARGET|all ...]
//            compile only (-fsyntax-only), with src/uapi-layout.h's pins of the GPIO uAPI struct
//            sizes, offsets and ioctl numbers: proves them for a target without writing a build.
// GPIOCHIP_CFLAGS (space-separated) adds compiler flags to either.
// No node-gyp: N-API is ABI-stable, so Node's own headers serve every architecture, and the
// kernel uAPI header comes from each toolchain's sysroot. A missing cross compiler is
// installed from Debian when running as root; otherwise the build fails saying what to install.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const source = join(here, 'src', 'gpiochip.c');
const headers = [join(here, 'src', 'uapi-layout.h')];

/** Per target: compiler, the Debian packages that provide it with libc and <linux/gpio.h>. */
const TARGETS = {
  x64: { cc: 'gcc', packages: ['gcc', 'libc6-dev', 'linux-libc-dev'], flags: [] },
  arm64: {
    cc: 'aarch64-linux-gnu-gcc',
    packages: ['gcc-aarch64-linux-gnu', 'libc6-dev-arm64-cross', 'linux-libc-dev-arm64-cross'],
    flags: [],
  },
  armv7: {
    cc: 'arm-linux-gnueabihf-gcc',
    packages: ['gcc-arm-linux-gnueabihf', 'libc6-dev-armhf-cross', 'linux-libc-dev-armhf-cross'],
    // Pi 2 and later; hard-float ABI as Raspberry Pi OS uses.
    flags: ['-march=armv7-a', '-mfpu=vfpv3-d16', '-mfloat-abi=hard'],
  },
};

const log = (msg) => process.stderr.write(`[gpiochip addon] ${msg}\n`);

function fail(msg) {
  log(`ERROR: ${msg}`);
  process.exit(1);
}

function has(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function installedPackages(packages) {
  return packages.filter(
    (p) => spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' }).stdout?.trim() === 'install ok installed',
  );
}

function ensureToolchain(name, target) {
  const missing = target.packages.filter((p) => !installedPackages([p]).length);
  if (has(target.cc) && (missing.length === 0 || !has('dpkg-query'))) return;
  if (!has('apt-get') || process.getuid?.() !== 0) {
    fail(`${name}: compiler ${target.cc} or headers missing; install the Debian packages: ${target.packages.join(' ')}`);
  }
  log(`${name}: installing ${missing.join(' ')} from Debian (first build only; takes a minute)...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args) => spawnSync('apt-get', ['-o', 'DPkg::Lock::Timeout=600', ...args], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  let r = apt(['install', '-y', '-q', '--no-install-recommends', ...missing]);
  if (r.status !== 0) {
    log('apt-get install failed; running apt-get update and retrying...');
    apt(['update', '-q']);
    r = apt(['install', '-y', '-q', '--no-install-recommends', ...missing]);
  }
  if (r.status !== 0 || !has(target.cc)) fail(`${name}: could not install ${missing.join(' ')}`);
}

/** Node's headers (node_api.h and uv.h): the running node's own include dir first. */
function nodeIncludeDir() {
  const candidates = [
    resolve(dirname(process.execPath), '..', 'include', 'node'),
    '/usr/include/node',
    '/usr/local/include/node',
  ];
  const found = candidates.find((d) => existsSync(join(d, 'node_api.h')) && existsSync(join(d, 'uv.h')));
  if (!found) fail(`node_api.h and uv.h not found in ${candidates.join(', ')} (install Node with its headers)`);
  return found;
}

function upToDate(output) {
  if (!existsSync(output)) return false;
  const built = statSync(output).mtimeMs;
  return [source, ...headers, fileURLToPath(import.meta.url)].every((f) => statSync(f).mtimeMs <= built);
}

const HOST = { x64: 'x64', arm64: 'arm64', arm: 'armv7' }[process.arch];

const extraFlags = (process.env.GPIOCHIP_CFLAGS ?? '').split(/\s+/).filter(Boolean);

function toolchainFor(name) {
  const known = TARGETS[name];
  if (!known) fail(`unknown target "${name}"; accepted: ${Object.keys(TARGETS).join(' | ')} | all`);
  // Building for the machine's own architecture needs no cross compiler.
  const target = name === HOST ? { ...known, cc: 'gcc', packages: TARGETS.x64.packages } : known;
  ensureToolchain(name, target);
  return target;
}

const compileFlags = (target) => [
  '-O2', '-std=gnu11', '-Wall', '-Wextra', '-Wno-unused-parameter', ...target.flags, ...extraFlags, '-I', nodeIncludeDir(),
];

function checkLayout(name) {
  const target = toolchainFor(name);
  const r = spawnSync(target.cc, ['-fsyntax-only', ...compileFlags(target), source], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) fail(`${name}: ${target.cc} rejects the addon: the GPIO uAPI layout differs from src/uapi-layout.h (or the source does not compile)`);
  log(`${name}: ${target.cc}: GPIO uAPI layout as pinned in src/uapi-layout.h`);
}

function build(name) {
  const outDir = join(here, 'build', `linux-${name}`);
  const output = join(outDir, 'gpiochip.node');
  if (upToDate(output) && !process.env.GPIOCHIP_REBUILD) {
    log(`${name}: up to date (${output})`);
    return;
  }
  const target = toolchainFor(name);
  mkdirSync(outDir, { recursive: true });
  const args = ['-shared', '-fPIC', '-s', ...compileFlags(target), '-o', output, source];
  log(`${name}: ${target.cc} ... -o ${output}`);
  const started = Date.now();
  const r = spawnSync(target.cc, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) fail(`${name}: ${target.cc} exited with ${r.status ?? r.signal}`);
  log(`${name}: built in ${Date.now() - started} ms`);
}

const argv = process.argv.slice(2);
const layoutOnly = argv[0] === '--check-layout';
const requested = layoutOnly ? argv.slice(1) : argv;
const names = requested.length === 0 ? [HOST ?? 'x64'] : requested.includes('all') ? Object.keys(TARGETS) : requested;
if (process.platform !== 'linux') fail('the GPIO character device exists only on Linux');
for (const n of names) (layoutOnly ? checkLayout : build)(n);
