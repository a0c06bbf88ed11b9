// dynalite in its own thread (src/local/dynamo.ts starts it). Plain JavaScript: a worker gets no
// TypeScript loader under vitest. On AWS DynamoDB does its work on AWS's side, so the local table
// answering on another core keeps the caller's own work (the webhook, the stages) what it measures.
import { parentPort, workerData } from 'node:worker_threads';
import dynalite from 'dynalite';

const { path, record } = workerData;
const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
const acks = new Map();
let sequence = 0;
let inFlight = 0;
let drained;

// Requests still being answered: closing the store under one throws inside dynalite (an uncaught
// "Database is closed"), so a stop lets them finish first.
server.prependListener('request', (_req, res) => {
  inFlight++;
  res.once('close', () => {
    inFlight--;
    if (inFlight === 0) drained?.();
  });
});

if (record) {
  // Each request is recorded in the main thread before its answer leaves, so a caller that reads
  // the call log after its response always finds the call there.
  server.prependListener('request', (req, res) => {
    const chunks = [];
    const seq = ++sequence;
    const recorded = new Promise((resolve) => acks.set(seq, resolve));
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => parentPort.postMessage({ kind: 'record', seq, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') }));
    const end = res.end.bind(res);
    res.end = (...args) => {
      void recorded.then(() => end(...args));
      return res;
    };
  });
}

parentPort.on('message', async (message) => {
  if (message.kind === 'ack') {
    acks.get(message.seq)?.();
    acks.delete(message.seq);
  } else if (message.kind === 'stop') {
    if (inFlight > 0) {
      await Promise.race([new Promise((resolve) => (drained = resolve)), new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
    }
    server.closeAllConnections?.();
    server.close(() => parentPort.postMessage({ kind: 'stopped' }));
  }
});

server.once('error', (err) => parentPort.postMessage({ kind: 'failed', message: err.message }));
server.listen(0, '127.0.0.1', () => parentPort.postMessage({ kind: 'listening', port: server.address().port }));
