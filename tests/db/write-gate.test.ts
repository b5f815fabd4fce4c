import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/main/core/db/connection';
import { migrateToLatest } from '../../electron/main/core/db/migrate';
import { createRepositories } from '../../electron/main/core/db/repositories';
import { WriteGate } from '../../electron/main/core/db/write-gate';
import { createScratchConfig } from '../support/databases';

describe('WriteGate', () => {
  it('lets one holder in at a time, shows that someone waits, and hands over on release', async () => {
    const gate = new WriteGate();
    expect(await gate.acquire()).toBe(true);
    expect(gate.contended).toBe(false);
    let second = false;
    const waiting = gate.acquire().then((held) => {
      second = held;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(second).toBe(false);
    expect(gate.contended).toBe(true);
    gate.release();
    await waiting;
    expect(second).toBe(true);
    expect(gate.contended).toBe(false);
    gate.release();
  });

  it('gives up after its longest wait without taking the gate (a holder that died)', async () => {
    const gate = new WriteGate(new SharedArrayBuffer(8), 50);
    expect(await gate.acquire()).toBe(true);
    expect(await gate.acquire()).toBe(false);
    expect(gate.contended).toBe(false);
  });

  it('is shared with another thread through its buffer', async () => {
    const gate = new WriteGate();
    expect(await gate.acquire()).toBe(true);
    // The other thread blocks on the same lock word until this one releases it.
    const worker = new Worker(
      `const { workerData, parentPort } = require('node:worker_threads');
       const state = new Int32Array(workerData);
       Atomics.add(state, 1, 1);
       while (Atomics.compareExchange(state, 0, 0, 1) !== 0) Atomics.wait(state, 0, 1, 1000);
       Atomics.sub(state, 1, 1);
       parentPort.postMessage('held');`,
      { eval: true, workerData: gate.buffer },
    );
    const held = new Promise((resolve) => worker.once('message', resolve));
    while (!gate.contended) await new Promise((resolve) => setTimeout(resolve, 5));
    gate.release();
    expect(await held).toBe('held');
    await worker.terminate();
    // The other thread holds it now: this one waits (and here gives up, since the other never releases).
    expect(await new WriteGate(gate.buffer, 30).acquire()).toBe(false);
  });
});

describe('a database connection with a write gate', () => {
  it('takes a turn for transactions and for writes outside them', async () => {
    const scratch = await createScratchConfig('sqlite');
    const gate = new WriteGate();
    const database = await openDatabase(scratch.config, { writeGate: gate });
    try {
      await migrateToLatest(database);
      const repos = createRepositories(database);
      // Another holder (the receiver thread, say) has the turn: a write waits for it.
      expect(await gate.acquire()).toBe(true);
      let written = false;
      const write = repos.settings.set('gated', 1).then(() => {
        written = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(written).toBe(false);
      expect(gate.contended).toBe(true);
      gate.release();
      await write;
      expect(await repos.settings.get('gated')).toBe(1);
      // And a transaction holds the turn until it commits.
      await repos.transaction(async (tx) => {
        await tx.settings.set('inside', 1);
        expect(await new WriteGate(gate.buffer, 20).acquire()).toBe(false);
      });
      expect(await gate.acquire()).toBe(true);
      gate.release();
    } finally {
      await database.close();
      await scratch.drop();
    }
  });
});
