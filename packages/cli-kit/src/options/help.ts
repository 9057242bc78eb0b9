// --help generated from the option declarations, grouped, with env vars and defaults.
import type { OptionSpec } from './options.js';

export interface HelpInfo {
  usage: string;
  summary: string;
  /** Extra paragraphs after the options (examples, exit codes). */
  footer?: string;
}

function wrap(text: string, width: number, indent: string): string {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && line.length + 1 + w.length > width) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines.join(`\n${indent}`);
}

export function renderHelp(info: HelpInfo, spec: OptionSpec): string {
  const out: string[] = [`Usage: ${info.usage}`, '', wrap(info.summary, 78, ''), ''];
  const groups = new Map<string, string[]>();
  const col = 30;
  const indent = ' '.repeat(col + 2);
  for (const o of Object.values(spec)) {
    const head = `  --${o.flag}${o.placeholder ? ` ${o.placeholder}` : ''}`;
    const meta = [
      o.env ? `env ${o.env}` : '',
      o.defaultText !== undefined ? `default ${o.defaultText === '' ? '""' : o.defaultText}` : '',
    ]
      .filter(Boolean)
      .join('; ');
    const body = wrap(`${o.description}${meta ? ` [${meta}]` : ''}`, 78 - col, indent);
    const line = head.length < col ? `${head.padEnd(col)}  ${body}` : `${head}\n${indent}${body}`;
    const g = o.group ?? 'Options';
    groups.set(g, [...(groups.get(g) ?? []), line]);
  }
  for (const [g, lines] of groups) out.push(`${g}:`, ...lines, '');
  out.push('General:', `  ${'-h, --help'.padEnd(col)}Show this help and exit.`, `  ${'--version'.padEnd(col)}Print the version, the Node version and the architecture.`, '');
  if (info.footer) out.push(info.footer.trimEnd(), '');
  return out.join('\n');
}

/** A Markdown table of every option, for READMEs; tests keep the docs equal to this. */
export function renderOptionsTable(spec: OptionSpec): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const rows = Object.values(spec).map((o) => {
    const flag = `\`--${o.flag}${o.placeholder ? ` ${o.placeholder}` : ''}\``;
    const env = o.env ? `\`${o.env}\`` : '';
    const def = o.defaultText === undefined ? '' : `\`${o.defaultText}\``;
    return `| ${esc(flag)} | ${env} | ${esc(def)} | ${esc(o.description)} |`;
  });
  return ['| Flag | Env | Default | Description |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

/** Replace the text between `<!-- begin:NAME -->` and `<!-- end:NAME -->` in `doc`. */
export function replaceBlock(doc: string, name: string, content: string): string {
  const begin = `<!-- begin:${name} -->`;
  const end = `<!-- end:${name} -->`;
  const i = doc.indexOf(begin);
  const j = doc.indexOf(end);
  if (i === -1 || j < i) throw new Error(`markers ${begin} ... ${end} not found`);
  return `${doc.slice(0, i + begin.length)}\n${content}\n${doc.slice(j)}`;
}
