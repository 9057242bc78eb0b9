import { describe, expect, it } from 'vitest';
import { renderOptionsTable } from '@gpio-fleet/cli-kit';
import { readmeBlock } from '@gpio-fleet/test-tools';
import { options } from '../src/options.js';

describe('README', () => {
  it('documents every light-sensor flag and env var as declared (run `npm run docs` after changing options)', () => {
    expect(readmeBlock('options:light-sensor', 'apps/light-sensor/README.md')).toBe(renderOptionsTable(options));
  });
});
