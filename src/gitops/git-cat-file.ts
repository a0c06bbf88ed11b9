import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { TransientError } from '../errors.js';
import { RefusedFileError } from '../manifest/refusal.js';

/** One object as `git cat-file --batch` answers it. */
export interface GitObject {
  id: string;
  type: string;
  content: Buffer;
}

interface Pending {
  spec: string;
  resolve: (value: GitObject | undefined) => void;
  reject: (err: Error) => void;
}

/**
 * One long-lived `git cat-file --batch` per repository: objects are asked for on its stdin, one
 * line each, and answered in order on its stdout (`<id> <type> <size>\n<content>\n`, or
 * `<spec> missing\n`). A push of 1,000 apps reads ~3,000 files; a process per file was 40% of it.
 *
 * A spec is an object id, or `<rev>:<path>` with a repository-relative path. A path that would leave
 * the repository (absolute, or with `..`) is refused here: git would end the whole batch process
 * with a fatal error, failing every read in flight.
 */
export class GitCatFileBatch {
  private child: ChildProcessWithoutNullStreams | undefined;
  private readonly queue: Pending[] = [];
  private buffer: Buffer = Buffer.alloc(0);

  constructor(private readonly repoDir: string) {}

  /** The object, or undefined when the repository has no such object (or path at that revision). */
  read(spec: string): Promise<GitObject | undefined> {
    try {
      refuseSpec(spec);
    } catch (err) {
      return Promise.reject(err as Error);
    }
    return new Promise((resolve, reject) => {
      const child = this.process();
      this.queue.push({ spec, resolve, reject });
      this.setRef(true);
      child.stdin.write(`${spec}\n`);
    });
  }

  /** Ends the process; reads still in flight fail. The next read starts a new one. */
  close(): void {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    child.stdin.end();
    this.failAll(new TransientError('git cat-file --batch was closed with reads in flight'));
  }

  private process(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child;
    const child = spawn('git', ['-C', this.repoDir, 'cat-file', '--batch'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-2_000);
    });
    child.stdout.on('data', (chunk: Buffer) => {
      this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
      this.drain();
    });
    const ended = (why: string) => {
      if (this.child !== child) return;
      this.child = undefined;
      this.buffer = Buffer.alloc(0);
      this.failAll(new TransientError(`git cat-file --batch in ${this.repoDir} ${why}${stderr ? `: ${stderr.trim()}` : ''}`));
    };
    child.on('error', (err) => ended(`failed to start (${err.message})`));
    child.on('exit', (code, signal) => ended(`exited (${signal ?? code})`));
    // A closed stdin while git is gone surfaces through 'exit'; do not crash on EPIPE.
    child.stdin.on('error', () => undefined);
    this.child = child;
    return child;
  }

  /** Settles every answer complete in the buffer, in order. */
  private drain(): void {
    while (this.queue.length > 0) {
      const newline = this.buffer.indexOf(0x0a);
      if (newline < 0) return;
      const header = this.buffer.subarray(0, newline).toString('utf8');
      const next = this.queue[0]!;
      if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
        this.buffer = this.buffer.subarray(newline + 1);
        this.queue.shift();
        next.resolve(undefined);
        continue;
      }
      const [id = '', type = '', sizeText = ''] = header.split(' ');
      const size = Number(sizeText);
      if (!Number.isInteger(size)) {
        this.failAll(new TransientError(`git cat-file --batch answered ${JSON.stringify(header)} for ${next.spec}`));
        this.close();
        return;
      }
      // Content, then the trailing newline.
      if (this.buffer.length < newline + 1 + size + 1) return;
      const content = Buffer.from(this.buffer.subarray(newline + 1, newline + 1 + size));
      this.buffer = this.buffer.subarray(newline + 1 + size + 1);
      this.queue.shift();
      next.resolve({ id, type, content });
    }
    this.setRef(false);
  }

  private failAll(err: Error): void {
    for (const pending of this.queue.splice(0)) pending.reject(err);
  }

  /** Idle, the process must not keep Node alive; a read in flight must. */
  private setRef(busy: boolean): void {
    const child = this.child;
    if (!child) return;
    for (const stream of [child.stdout, child.stderr, child.stdin] as unknown as { ref?: () => void; unref?: () => void }[]) {
      if (busy) stream.ref?.();
      else stream.unref?.();
    }
    if (busy) child.ref();
    else child.unref();
  }
}

function refuseSpec(spec: string): void {
  if (spec === '' || /[\n\r\0]/.test(spec)) throw new TransientError(`git object ${JSON.stringify(spec)}: not a single-line object name`);
  const colon = spec.indexOf(':');
  if (colon < 0) return;
  const path = spec.slice(colon + 1);
  if (path.startsWith('/') || path.split('/').some((segment) => segment === '..' || segment === '.')) {
    throw new RefusedFileError(path, 'is outside the repository');
  }
}
