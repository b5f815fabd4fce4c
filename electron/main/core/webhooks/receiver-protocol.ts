/**
 * Messages between the main thread and the receiver thread (receiver-thread.ts). Structured clone carries
 * them; nothing here leaves the process.
 */
import type { DatabaseConfig } from '../db/config';
import type { ReceiverAccount } from './account-cache';
import type { Refusal } from './security-log';

/** What the thread starts with. */
export interface ReceiverThreadData {
  port: number;
  database: DatabaseConfig;
  /** The main connection's write gate, shared (db/write-gate.ts). */
  writeGate: SharedArrayBuffer;
  groupCommit: boolean;
  /** Whether accounts can be verified yet (the master key is loaded). */
  ready: boolean;
  logLevel: string;
}

/** An account lookup's answer; secrets cross as bytes. */
export type LookupAnswer =
  { kind: 'found'; account: ReceiverAccount } | { kind: 'none' } | { kind: 'error'; message: string };

export type ToThread =
  | { type: 'ready'; ready: boolean }
  | { type: 'invalidate' }
  | { type: 'answer'; requestId: number; answer: LookupAnswer }
  | { type: 'ping'; id: number }
  /** The main thread copied the spool's deliveries up to this id into `webhook_events`: forget them. */
  | { type: 'forget'; through: number }
  | { type: 'stop' };

export type FromThread =
  /** `spooled`: deliveries go to the spool, which the main thread copies into `webhook_events`. */
  | { type: 'listening'; port: number; spooled: boolean }
  | { type: 'failed'; message: string; code?: string }
  | { type: 'lookup'; requestId: number; instagramAccountId: string }
  | { type: 'refused'; refusal: Refusal }
  /** `spooled`: in the spool, not yet in `webhook_events`. */
  | { type: 'stored'; accountId: string; at: number; spooled: boolean }
  | { type: 'log'; line: string }
  | { type: 'pong'; id: number };
