/**
 * The benchmarks' helper processes (servers, bots, the core): each prints one JSON line once it is ready and
 * stops on SIGTERM.
 */
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** The child's first line on stdout, parsed; rejects with the end of its stderr if it exits first. */
export function readyLine<T>(child: ChildProcess, what: string): Promise<T> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line) as T));
    child.once('exit', (code) => reject(new Error(`${what} exited with ${code}:\n${stderr}`)));
  });
}

/** Sends SIGTERM and waits for the exit (at once if the child has already ended). */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}
