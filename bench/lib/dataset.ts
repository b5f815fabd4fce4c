/**
 * The realistic data set the benchmarks share: 20 accounts, conversations with a skewed number of
 * messages (a few busy threads, many quiet ones), DM-like text lengths with emoji, Instagram-length
 * mids, activity spread over 90 days. Deterministic for a given seed, so runs compare.
 *
 * Only the shape lives here; each benchmark loads it its own way (`db` with multi-row inserts as a
 * fixture, `ui` through the repositories).
 */
import { randomBytes } from 'node:crypto';

export const ACCOUNTS = 20;
export const FULL_MESSAGES = 1_000_000;
export const FULL_CONVERSATIONS = 50_000;
/** How far back the data set's activity goes. */
export const SPAN_MS = 90 * 24 * 3600 * 1000;

/** A deterministic pseudo-random source (mulberry32). */
export function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'hi hello price available size order thanks shipping to the is do you have when open tomorrow ' +
  'Berlin café niño ok great please can I book a table for two'
).split(' ');
const EMOJI = ['😀', '😍', '🙏', '🔥', '❤️', '👍🏽', '🎉', '😂', '👋', '🇩🇪', '👩‍💻'];

/** Text lengths like DMs: mostly short, a long tail up to ~900 characters, emoji in about a third. */
export function makeText(random: () => number): string {
  const r = random();
  const words =
    r < 0.6
      ? 1 + Math.floor(random() * 8)
      : r < 0.95
        ? 8 + Math.floor(random() * 40)
        : 40 + Math.floor(random() * 140);
  const parts: string[] = [];
  for (let i = 0; i < words; i++) {
    parts.push(WORDS[Math.floor(random() * WORDS.length)]!);
    if (random() < 0.06) parts.push(EMOJI[Math.floor(random() * EMOJI.length)]!);
  }
  return parts.join(' ');
}

/** An Instagram-shaped mid: ~150 characters of base64url. */
export function makeMid(): string {
  return `aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOj${randomBytes(84).toString('base64url')}`;
}

/** The fixed id of account `i` (a UUID, as the app makes them). */
export function accountIdOf(i: number): string {
  return `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
}

/** One conversation of the plan: who, on which account, how many messages, when the last one was. */
export interface PlannedConversation {
  index: number;
  accountIndex: number;
  participantIgsid: string;
  participantUsername: string;
  participantName: string | null;
  archived: boolean;
  lastAt: number;
  messages: number;
  /** Unread messages a realistic inbox has left (most conversations are read). */
  unread: number;
}

/** One message of a planned conversation. */
export interface PlannedMessage {
  inbound: boolean;
  kind: 'text' | 'image';
  text: string;
  createdAt: Date;
}

/** `messages` spread over `conversations` with a skew; deterministic for a seed. */
export function planConversations(
  plan: { conversations: number; messages: number },
  random: () => number,
  now: number,
): PlannedConversation[] {
  const perConversation = new Array<number>(plan.conversations).fill(1);
  for (let i = plan.conversations; i < plan.messages; i++) {
    perConversation[Math.floor(Math.pow(random(), 2) * plan.conversations)]! += 1;
  }
  return perConversation.map((messages, c) => ({
    index: c,
    accountIndex: c % ACCOUNTS,
    participantIgsid: `${6_000_000_000_000_000 + c}`,
    participantUsername: `user.${c}`,
    participantName: random() < 0.5 ? `Person ${c} 🌟` : null,
    archived: random() < 0.05,
    lastAt: now - Math.floor(random() * SPAN_MS),
    messages,
    unread: random() < 0.1 ? 1 + Math.floor(random() * 5) : 0,
  }));
}

/**
 * Message `m` of a conversation, counted back from its last message (m = 0 is the last one, at
 * exactly `lastAt`), 37 s apart with some jitter.
 */
export function planMessage(
  conversation: Pick<PlannedConversation, 'lastAt'>,
  m: number,
  random: () => number,
): PlannedMessage {
  const inbound = random() < 0.6;
  return {
    inbound,
    kind: random() < 0.92 ? 'text' : 'image',
    text: makeText(random),
    createdAt: new Date(conversation.lastAt - m * 37_000 - (m === 0 ? 0 : Math.floor(random() * 1000))),
  };
}

/** Every message of the plan as (conversation, m), oldest first (m = 0 is a conversation's last). */
export function* arrivalOrder(
  conversations: readonly PlannedConversation[],
): Generator<{ conversation: PlannedConversation; m: number }> {
  const total = conversations.reduce((sum, c) => sum + c.messages, 0);
  const times = new Float64Array(total);
  const owner = new Int32Array(total);
  const nth = new Int32Array(total);
  let k = 0;
  conversations.forEach((c, i) => {
    for (let m = 0; m < c.messages; m++, k++) {
      times[k] = c.lastAt - m * 37_000;
      owner[k] = i;
      nth[k] = m;
    }
  });
  const order = new Uint32Array(total).map((_, i) => i).sort((a, b) => times[a]! - times[b]!);
  for (const i of order) yield { conversation: conversations[owner[i]!]!, m: nth[i]! };
}
