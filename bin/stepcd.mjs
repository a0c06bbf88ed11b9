#!/usr/bin/env node
// The `stepcd` command: TypeScript sources run through tsx, so it works from a clone after `npm install`.
import { register } from 'tsx/esm/api';

// The SDK warns on every run that its 2027 releases need Node 22; a CLI user cannot act on that here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// Lambda handlers log JSON through powertools, which reads its level from the environment when the
// module loads; on a terminal only warnings and errors are worth showing unless --debug is given.
process.env.POWERTOOLS_LOG_LEVEL ??= process.argv.includes('--debug') ? 'DEBUG' : 'WARN';
register();
const { main } = await import('../src/cli/main.ts');
await main();
