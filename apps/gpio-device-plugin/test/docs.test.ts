import { describe, expect, it } from 'vitest';
import { renderOptionsTable } from '@gpio-fleet/cli-kit';
import { readmeBlock } from '@gpio-fleet/test-tools';
import { options } from '../src/options.js';

describe('README', () => {
  it('documents every gpio-device-plugin flag and env var as declared (run `npm run docs` after changing options)', () => {
    expect(readmeBlock('options:gpio-device-plugin', 'apps/gpio-device-plugin/README.md')).toBe(renderOptionsTable(options));
  });
});
