// The command a workspace's package.json "bin" names. npm links a bin only if its file exists
// when it installs, and dist/ is built after `npm ci`, so each bin is a small committed file
// that calls this, and this loads the build (or says how to make it). Plain JavaScript, not
// compiled: it must work before anything is built.
import { existsSync } from 'node:fs';

/**
 * Runs `<package>/dist/cli.js` for the bin at `binUrl` (its import.meta.url).
 * @param {string} binUrl
 * @param {string} name the command's name, for the message when it is not built
 */
export async function launch(binUrl, name) {
  const build = new URL('../dist/cli.js', binUrl);
  if (!existsSync(build)) {
    process.stderr.write(`${name}: not built yet: run \`npm run build\` in the repository first\n`);
    process.exit(1);
  }
  await import(build.href);
}
