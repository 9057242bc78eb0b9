// A content key for a staged layer tree (paths, modes and file contents), used to reuse an
// already-committed runtime image and to skip a build whose inputs have not changed.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function treeDigest(root: string): string {
  const h = createHash('sha256');
  const walk = (rel: string): void => {
    const abs = join(root, rel);
    const st = statSync(abs);
    if (st.isDirectory()) {
      h.update(`d ${rel} ${(st.mode & 0o7777).toString(8)}\n`);
      for (const name of readdirSync(abs).sort()) walk(rel ? `${rel}/${name}` : name);
    } else {
      const content = createHash('sha256').update(readFileSync(abs)).digest('hex');
      h.update(`f ${rel} ${(st.mode & 0o7777).toString(8)} ${content}\n`);
    }
  };
  walk('');
  return h.digest('hex');
}
