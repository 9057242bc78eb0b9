import { describe, expect, it } from 'vitest';
import { renderNodes } from '../src/commands/nodes.js';
import { renderTable, useColour } from '../src/output/table.js';

describe('renderTable', () => {
  it('aligns columns to the widest cell and trims trailing space', () => {
    const out = renderTable(['NAME', 'ARCH'], [['pi4-a', 'arm64'], ['cp-0', { text: 'amd64', tone: 'ok' }]]);
    expect(out).toBe(['NAME    ARCH', 'pi4-a   arm64', 'cp-0    amd64', ''].join('\n'));
  });

  it('adds ANSI colours only when asked, without changing the alignment', () => {
    const plain = renderTable(['A', 'B'], [[{ text: 'x', tone: 'bad' }, 'y']]);
    const coloured = renderTable(['A', 'B'], [[{ text: 'x', tone: 'bad' }, 'y']], { colour: true });
    expect(plain).not.toContain('\u001b[');
    expect(coloured).toContain('\u001b[31mx\u001b[0m');
    // eslint-disable-next-line no-control-regex
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(plain);
  });

  it('renders numbers and missing cells', () => {
    expect(renderTable(['N', 'M', 'O'], [[1, 22]])).toBe('N   M    O\n1   22\n');
  });
});

describe('useColour', () => {
  it('is on only for a TTY without NO_COLOR or TERM=dumb', () => {
    expect(useColour({ isTTY: true }, {})).toBe(true);
    expect(useColour({ isTTY: false }, {})).toBe(false);
    expect(useColour({}, {})).toBe(false);
    expect(useColour({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(useColour({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
  });
});

describe('nodes table', () => {
  it('shows Pi, readiness, the label and the apps per node', () => {
    const out = renderNodes(
      [
        { name: 'cp-0', arch: 'amd64', pi: false, piReason: '', kernel: '6.1.0-26-amd64', osImage: 'Debian GNU/Linux 12 (bookworm)', label: undefined, ready: true, apps: [] },
        { name: 'pi4-a', arch: 'arm64', pi: true, piReason: '', kernel: '6.6.31+rpt-rpi-v8', osImage: 'Debian GNU/Linux 12 (bookworm)', label: 'raspberry', ready: true, apps: ['light-sensor', 'traffic-light'] },
      ],
      'device',
      false,
    );
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+ARCH\s+PI\s+READY\s+DEVICE\s+APPS\s+KERNEL\s+OS-IMAGE$/);
    expect(lines[1]).toMatch(/^cp-0\s+amd64\s+no\s+Ready\s+-\s+-\s+6\.1\.0-26-amd64\s+Debian/);
    expect(lines[2]).toMatch(/^pi4-a\s+arm64\s+yes\s+Ready\s+raspberry\s+light-sensor,traffic-light\s+6\.6\.31\+rpt-rpi-v8/);
  });
});
