#!/usr/bin/env node
// The `gpio-device-plugin` command: a committed launcher, so npm can link it before dist/ is built.
import { launch } from '@gpio-fleet/cli-kit/launcher';

await launch(import.meta.url, 'gpio-device-plugin');
