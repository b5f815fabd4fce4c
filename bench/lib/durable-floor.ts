/**
 * The yardstick for the open loop's acknowledgements: a node:http server in its own process that does the least
 * a durable acknowledgement needs. It writes each body into a file filled beforehand (so a flush carries data,
 * not the file system's metadata), flushes with fdatasync, and answers 200 once its body is on disk; bodies that
 * arrive during a flush share the next one (group commit). No signature, no parsing, no database: what this
 * disk allows an acknowledgement at that rate, whatever the code.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { readyLine, stopChild } from './child-process';

/** A running floor server: where to send, and how to stop it. */
export interface DurableFloor {
  origin: string;
  stop(): Promise<void>;
}

/** Starts the server in its own process, its file in `dir`; resolves once it listens. */
export async function startDurableFloor(dir: string): Promise<DurableFloor> {
  const script = `
    const fs = require('node:fs');
    const http = require('node:http');
    const SIZE = 64 * 1024 * 1024;
    const fd = fs.openSync(process.argv[1], 'w+');
    const zeros = Buffer.alloc(1024 * 1024);
    for (let at = 0; at < SIZE; at += zeros.length) fs.writeSync(fd, zeros, 0, zeros.length, at);
    fs.fsyncSync(fd);
    let offset = 0;
    let waiting = [];
    let flushing = false;
    function flush() {
      if (flushing || waiting.length === 0) return;
      flushing = true;
      const batch = waiting;
      waiting = [];
      const data = Buffer.concat(batch.map((item) => item.body));
      if (offset + data.length > SIZE) offset = 0;
      const at = offset;
      offset += data.length;
      fs.write(fd, data, 0, data.length, at, (writeError) => {
        const answer = (error) => {
          for (const item of batch) {
            item.res.writeHead(error ? 500 : 200, { 'Content-Type': 'text/plain', 'Content-Length': 14 });
            item.res.end(error ? 'ERROR_OCCURRED' : 'EVENT_RECEIVED');
          }
          flushing = false;
          flush();
        };
        if (writeError) answer(writeError);
        else fs.fdatasync(fd, answer);
      });
    }
    const server = http.createServer((req, res) => {
      const chunks = [];
      req.on('data', (chunk) => chunks.push(chunk));
      req.on('end', () => {
        waiting.push({ body: Buffer.concat(chunks), res });
        flush();
      });
    });
    server.keepAliveTimeout = 5000;
    server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ origin: 'http://127.0.0.1:' + server.address().port })));
    process.on('SIGTERM', () => process.exit(0));`;
  const child = spawn(process.execPath, ['-e', script, join(dir, 'durable-floor.log')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const ready = await readyLine<{ origin: string }>(child, 'the durable floor server');
  return {
    origin: ready.origin,
    stop: () => stopChild(child),
  };
}
