// The commands of one README section, as a reader sees them: every line of its ```sh blocks
// that is not a comment is a command; a `# ...` line right after a command is the output the
// README promises for it; a trailing `# ...` after a command is the reader's explanation.

export interface ReadmeCommand {
  /** The command exactly as printed, without its trailing explanation. */
  command: string;
  /** The explanation printed after it, if any. */
  note?: string;
  /** Output lines the README shows for it (the `# ` comment lines right below it). */
  shownOutput: string[];
}

/** The text under the heading that contains `title`, up to the next heading of its level or higher. */
export function section(markdown: string, title: string): string {
  const lines = markdown.split('\n');
  // A "# ..." line inside a code block is a shell comment, not a heading.
  let fenced = false;
  const heading = lines.map((l) => {
    if (/^\s*```/.test(l)) fenced = !fenced;
    return !fenced && /^#{1,6} /.test(l) ? /^#+/.exec(l)![0].length : 0;
  });
  const start = lines.findIndex((l, i) => heading[i]! > 0 && l.includes(title));
  if (start === -1) throw new Error(`README has no heading containing "${title}"`);
  const level = heading[start]!;
  const end = heading.findIndex((h, i) => i > start && h > 0 && h <= level);
  return lines.slice(start + 1, end === -1 ? undefined : end).join('\n');
}

export function shellCommands(sectionText: string): ReadmeCommand[] {
  const out: ReadmeCommand[] = [];
  for (const block of sectionText.matchAll(/```(?:sh|bash|shell)\n([\s\S]*?)```/g)) {
    let last: ReadmeCommand | undefined;
    for (const raw of block[1]!.split('\n')) {
      const line = raw.trim();
      if (line === '') {
        last = undefined;
        continue;
      }
      if (line.startsWith('#')) {
        last?.shownOutput.push(line.replace(/^#\s?/, ''));
        continue;
      }
      // A trailing explanation is set off by whitespace and "# "; no command here quotes a "#".
      const m = /^(.*?)\s+#\s+(.*)$/.exec(line);
      last = m ? { command: m[1]!, note: m[2]!, shownOutput: [] } : { command: line, shownOutput: [] };
      out.push(last);
    }
  }
  if (out.length === 0) throw new Error('the section has no shell commands');
  return out;
}
