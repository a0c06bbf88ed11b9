'use strict';
// Preloaded (NODE_OPTIONS=--require) into `serverless package` and the bundle import checks: every
// connection beyond loopback, and every DNS lookup, is recorded to STEPCD_NETWORK_LOG and refused,
// so a test can prove that packaging and importing a bundle never reach AWS (or anything else).
// Loopback stays open for the test's own stand-ins (an SSM stub).
const fs = require('node:fs');
const net = require('node:net');
const dns = require('node:dns');

const logFile = process.env.STEPCD_NETWORK_LOG;
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

function record(what) {
  if (logFile) fs.appendFileSync(logFile, `${process.pid} ${what}\n`);
}

const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(...args) {
  // net.connect() hands over its already-normalised [options, callback] array as the first argument.
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  const options = typeof first === 'object' && first !== null ? first : { port: first, host: args[1] };
  // Local IPC (a unix socket or pipe path) is not the network.
  if (typeof options.path === 'string') return originalConnect.apply(this, args);
  if (LOOPBACK.has(options.host)) return originalConnect.apply(this, args);
  record(`connect ${options.host ?? 'localhost'}:${options.port}`);
  const socket = this;
  process.nextTick(() => socket.destroy(new Error('network access refused by the stepcd packaging test')));
  return socket;
};

const originalLookup = dns.lookup;
const originalPromisesLookup = dns.promises.lookup;

function refusedLookup(hostname, ...rest) {
  // Node looks up even IP literals (server.listen, connect); those never leave the machine.
  if (LOOPBACK.has(hostname) || net.isIP(hostname)) return originalLookup.call(dns, hostname, ...rest);
  record(`lookup ${hostname}`);
  const callback = rest.find((a) => typeof a === 'function');
  const error = Object.assign(new Error(`DNS lookup of ${hostname} refused by the stepcd packaging test`), { code: 'ENOTFOUND' });
  if (callback) process.nextTick(() => callback(error));
}
dns.lookup = refusedLookup;
dns.promises.lookup = async (hostname, ...rest) => {
  if (LOOPBACK.has(hostname) || net.isIP(hostname)) return originalPromisesLookup.call(dns.promises, hostname, ...rest);
  record(`lookup ${hostname}`);
  throw Object.assign(new Error(`DNS lookup of ${hostname} refused by the stepcd packaging test`), { code: 'ENOTFOUND' });
};
