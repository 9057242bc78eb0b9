// Every flag and env var of every gpio-fleet command, with a value its own parser rejects:
// exit 2 naming the flag or variable, the value and the accepted form, before any cluster
// is contacted (the kubeconfig named here does not exist; that would be exit 4).
import { fileURLToPath } from 'node:url';
import { describeBadInput } from '@gpio-fleet/test-tools';
import { COMMANDS } from '../src/main.js';
import { globalOptions } from '../src/options.js';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

for (const command of COMMANDS) {
  describeBadInput(`gpio-fleet ${command.name}`, [cli, command.name], { ...command.options, ...globalOptions }, {
    freeText: ['kubeconfig', 'context', 'namespace'],
    baseArgs: [],
    baseEnv: { KUBECONFIG: '/nonexistent/kubeconfig' },
  });
}
