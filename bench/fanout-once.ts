/**
 * One fan-out run in a process of its own (bench/trigger.ts measureFanoutRuns spawns it), so no run
 * finds another's parsed texts and trigger settings in memory. A 120-app push of other apps (deferred,
 * as 1,000 are) goes first, unmeasured: the process is then warm as a function that has served pushes
 * before (its code compiled), with nothing cached about the apps measured. Prints the FanoutFigures
 * JSON on stdout, nothing else.
 */
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const apps = Number(process.argv[2]);
if (!Number.isInteger(apps) || apps < 1) throw new Error(`usage: fanout-once.ts <apps>, got ${process.argv[2]}`);
const { measureFanout } = await import('./trigger.js');
await measureFanout({ apps: 120, prefix: 'warm' });
process.stdout.write(`${JSON.stringify(await measureFanout({ apps }))}\n`);
// Lambda handlers keep timers (middy's secret cache) and SDK sockets alive: end explicitly.
process.exit(0);

export {};
