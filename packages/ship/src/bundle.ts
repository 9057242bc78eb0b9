// One CommonJS file per app, built by esbuild from the TypeScript sources. CommonJS because an
// SEA main script must be CommonJS on Node 20 (the armv7 runtime). Packages with native addons
// stay external: an SEA can only require builtins, so the app loads them from the
// native-linux-<arch> directory beside the executable at run time.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { build, type Metafile, type Plugin } from 'esbuild';
import { appEntry, type AppName } from './apps.js';
import { hashFile } from './files.js';
import { repoRoot } from './paths.js';

/** Loaded at run time from native-linux-<arch>/node_modules, never bundled. */
export const EXTERNAL_PACKAGES = ['pigpio', 'onoff', 'epoll'] as const;

/** The oldest embedded Node (armv7 runtime); the bundle must run there. */
export const BUNDLE_TARGET = 'node20.11';

export interface Bundle {
  app: AppName;
  entry: string;
  file: string;
  bytes: number;
  /** sha256 of the bundle: part of every executable's cache key. */
  sha256: string;
  warnings: string[];
}

/** name -> src/index.ts of every workspace package that has one. */
export function workspaceSources(root: string = repoRoot): Map<string, string> {
  const out = new Map<string, string>();
  for (const group of ['packages', 'apps']) {
    const base = join(root, group);
    if (!existsSync(base)) continue;
    for (const dir of readdirSync(base)) {
      const manifest = join(base, dir, 'package.json');
      const entry = join(base, dir, 'src', 'index.ts');
      if (!existsSync(manifest) || !existsSync(entry)) continue;
      const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string };
      if (name) out.set(name, entry);
    }
  }
  return out;
}

/** Resolve @gpio-fleet/* imports to their TypeScript sources, so bundles never use a stale dist/. */
function workspaceSourcePlugin(sources: Map<string, string>): Plugin {
  return {
    name: 'gpio-fleet-workspace-sources',
    setup(b) {
      b.onResolve({ filter: /^@gpio-fleet\/[^/]+$/ }, (args) => {
        const path = sources.get(args.path);
        return path ? { path } : undefined;
      });
    },
  };
}

/** Dynamic import() of a package left external fails in an SEA (and with its code cache). */
export function externalDynamicImports(meta: Metafile): string[] {
  const found: string[] = [];
  for (const [file, input] of Object.entries(meta.inputs)) {
    for (const imp of input.imports) {
      if (imp.kind === 'dynamic-import' && imp.external) found.push(`${file}: import("${imp.path}")`);
    }
  }
  return found;
}

/**
 * The status page's files (each workspace's src/.../assets/) become the modules the sources import, as in every
 * workspace build (scripts/embed-assets.mjs): the bundle, and so the executable, carries them.
 */
export function embedAssets(root: string = repoRoot): void {
  execFileSync(process.execPath, [join(root, 'scripts', 'embed-assets.mjs')], { stdio: ['ignore', 'inherit', 'inherit'] });
}

export async function bundleApp(app: AppName, outDir: string, entry: string = appEntry(app)): Promise<Bundle> {
  if (!existsSync(entry)) throw new Error(`${app}: entry ${entry} does not exist`);
  embedAssets();
  await mkdir(outDir, { recursive: true });
  const file = join(outDir, `${app}.cjs`);
  const result = await build({
    entryPoints: [entry],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: BUNDLE_TARGET,
    external: [...EXTERNAL_PACKAGES],
    plugins: [workspaceSourcePlugin(workspaceSources())],
    // Third-party license comments stay in the shipped file.
    legalComments: 'eof',
    metafile: true,
    // Paths in the bundle's comments are relative to this: fixed, so the bytes (and the image
    // app layer) do not depend on the directory the build was started from.
    absWorkingDir: repoRoot,
    logLevel: 'silent',
  }).catch((e: unknown) => {
    const text = e instanceof Error ? e.message : String(e);
    if (text.includes('Top-level await is currently not supported with the "cjs" output format')) {
      throw new Error(
        `${app}: ${text}\nAn SEA main script must be CommonJS (the armv7 runtime is Node 20), and CommonJS has no top-level await: ` +
          'start the app with `void main()` (or `.then(...)`) instead of `await main()`.',
      );
    }
    throw e;
  });
  const dynamic = externalDynamicImports(result.metafile);
  if (dynamic.length > 0) {
    throw new Error(
      `${app}: the bundle keeps dynamic import() of external packages, which an SEA cannot load:\n  ${dynamic.join('\n  ')}\n` +
        'Load native packages with module.createRequire (see packages/gpio/src/backends/native-modules.ts).',
    );
  }
  const warnings = result.warnings
    // import.meta is empty in CommonJS; the code that uses it falls back to process.execPath.
    .filter((w) => !w.text.includes('"import.meta" is not available'))
    .map((w) => `${w.location ? `${w.location.file}:${w.location.line}: ` : ''}${w.text}`);
  const output = Object.entries(result.metafile.outputs).find(([, o]) => o.entryPoint !== undefined)?.[1];
  return { app, entry, file, bytes: output?.bytes ?? 0, sha256: (await hashFile(file, 'sha256')).toString('hex'), warnings };
}
