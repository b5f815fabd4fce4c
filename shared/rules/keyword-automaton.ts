/**
 * One Aho–Corasick automaton for every keyword of an account.
 *
 * A message is scanned once, whatever the number of rules: 10,000 keyword rules cost about as much
 * as ten. The trie is flattened into typed arrays after construction (a dense table for the root, short
 * sorted edge lists elsewhere) so matching allocates nothing but the hits.
 */
import type { KeywordMode } from './schema';
import { coreBounds, isWordCharAt } from './normalize';

/** One keyword of one rule, already normalised. */
export interface KeywordEntry {
  ruleIndex: number;
  keywordIndex: number;
  normalized: string;
  mode: KeywordMode;
}

/** The first keyword of a rule found in a message, with its span in the normalised text. */
export interface KeywordHit {
  keywordIndex: number;
  start: number;
  end: number;
}

const MODE_CODES: Record<KeywordMode, number> = { word: 0, contains: 1, exact: 2, starts_with: 3 };
const MODES: readonly KeywordMode[] = ['word', 'contains', 'exact', 'starts_with'];

/** Whether a keyword found at [start, end) satisfies its mode in `text`. */
export function acceptsHit(
  mode: KeywordMode,
  text: string,
  start: number,
  end: number,
  core: { start: number; end: number },
): boolean {
  switch (mode) {
    case 'contains':
      return true;
    case 'word':
      return boundaryBefore(text, start) && boundaryAfter(text, end);
    case 'exact':
      return start <= core.start && end >= core.end;
    case 'starts_with':
      return start <= core.start && boundaryAfter(text, end);
  }
}

/** No word continues across `start` (a keyword that begins with punctuation or an emoji needs none). */
export function boundaryBefore(text: string, start: number): boolean {
  return !(isWordCharAt(text, start) && isWordCharAt(text, start - 1));
}

/** No word continues across `end`. */
export function boundaryAfter(text: string, end: number): boolean {
  return !(isWordCharAt(text, end - 1) && isWordCharAt(text, end));
}

/** Compiled automaton over the normalised keywords of one account. */
export class KeywordAutomaton {
  private constructor(
    private readonly rootTable: Int32Array,
    private readonly edgeStart: Int32Array,
    private readonly edgeChars: Uint16Array,
    private readonly edgeTargets: Int32Array,
    private readonly fail: Int32Array,
    private readonly dictLink: Int32Array,
    private readonly outStart: Int32Array,
    private readonly outIds: Int32Array,
    private readonly entryRule: Int32Array,
    private readonly entryKeyword: Int32Array,
    private readonly entryLength: Int32Array,
    private readonly entryMode: Uint8Array,
    /** Number of trie states, for diagnostics. */
    readonly stateCount: number,
  ) {}

  /** Builds the automaton; entries with an empty keyword are ignored (the schema rejects them). */
  static build(entries: readonly KeywordEntry[]): KeywordAutomaton {
    const children: Array<Map<number, number>> = [new Map<number, number>()];
    const endsHere: number[][] = [[]];
    entries.forEach((entry, id) => {
      if (entry.normalized.length === 0) return;
      let node = 0;
      for (let i = 0; i < entry.normalized.length; i += 1) {
        const code = entry.normalized.charCodeAt(i);
        const map = children[node] as Map<number, number>;
        let next = map.get(code);
        if (next === undefined) {
          next = children.length;
          map.set(code, next);
          children.push(new Map<number, number>());
          endsHere.push([]);
        }
        node = next;
      }
      (endsHere[node] as number[]).push(id);
    });

    // Renumber in breadth-first order: fail links always point to earlier states.
    const order: number[] = [0];
    const newId = new Int32Array(children.length);
    for (let head = 0; head < order.length; head += 1) {
      const old = order[head] as number;
      for (const child of (children[old] as Map<number, number>).values()) {
        newId[child] = order.length;
        order.push(child);
      }
    }
    const count = order.length;
    const edgeStart = new Int32Array(count + 1);
    let edgeTotal = 0;
    for (let n = 0; n < count; n += 1) {
      edgeStart[n] = edgeTotal;
      edgeTotal += (children[order[n] as number] as Map<number, number>).size;
    }
    edgeStart[count] = edgeTotal;
    const edgeChars = new Uint16Array(edgeTotal);
    const edgeTargets = new Int32Array(edgeTotal);
    const rootTable = new Int32Array(0x10000).fill(-1);
    for (let n = 0; n < count; n += 1) {
      const sorted = [...(children[order[n] as number] as Map<number, number>).entries()].sort(
        (a, b) => a[0] - b[0],
      );
      let e = edgeStart[n] as number;
      for (const [code, child] of sorted) {
        edgeChars[e] = code;
        edgeTargets[e] = newId[child] as number;
        if (n === 0) rootTable[code] = newId[child] as number;
        e += 1;
      }
    }
    const outStart = new Int32Array(count + 1);
    const outList: number[] = [];
    for (let n = 0; n < count; n += 1) {
      outStart[n] = outList.length;
      for (const id of endsHere[order[n] as number] as number[]) outList.push(id);
    }
    outStart[count] = outList.length;

    const automaton = new KeywordAutomaton(
      rootTable,
      edgeStart,
      edgeChars,
      edgeTargets,
      new Int32Array(count),
      new Int32Array(count).fill(-1),
      outStart,
      Int32Array.from(outList),
      Int32Array.from(entries, (e) => e.ruleIndex),
      Int32Array.from(entries, (e) => e.keywordIndex),
      Int32Array.from(entries, (e) => e.normalized.length),
      Uint8Array.from(entries, (e) => MODE_CODES[e.mode]),
      count,
    );
    automaton.linkFailures();
    return automaton;
  }

  private goto(state: number, code: number): number {
    if (state === 0) return this.rootTable[code] as number;
    const end = this.edgeStart[state + 1] as number;
    for (let e = this.edgeStart[state] as number; e < end; e += 1) {
      const c = this.edgeChars[e] as number;
      if (c === code) return this.edgeTargets[e] as number;
      if (c > code) return -1;
    }
    return -1;
  }

  private hasOutput(state: number): boolean {
    return (this.outStart[state + 1] as number) > (this.outStart[state] as number);
  }

  private linkFailures(): void {
    // States are in breadth-first order, so a parent's links are final before its children are visited.
    for (let state = 0; state < this.stateCount; state += 1) {
      const end = this.edgeStart[state + 1] as number;
      for (let e = this.edgeStart[state] as number; e < end; e += 1) {
        const child = this.edgeTargets[e] as number;
        const code = this.edgeChars[e] as number;
        let target = 0;
        if (state !== 0) {
          let f = this.fail[state] as number;
          for (;;) {
            const next = this.goto(f, code);
            if (next >= 0) {
              target = next;
              break;
            }
            if (f === 0) break;
            f = this.fail[f] as number;
          }
        }
        this.fail[child] = target;
        this.dictLink[child] = this.hasOutput(target) ? target : (this.dictLink[target] as number);
      }
    }
  }

  /** Calls `onMatch(entryId, start, end)` for every keyword occurrence in `text`, in order of end. */
  scanRaw(text: string, onMatch: (entryId: number, start: number, end: number) => void): void {
    let state = 0;
    for (let i = 0; i < text.length; i += 1) {
      const code = text.charCodeAt(i);
      for (;;) {
        const next = this.goto(state, code);
        if (next >= 0) {
          state = next;
          break;
        }
        if (state === 0) break;
        state = this.fail[state] as number;
      }
      let out = this.hasOutput(state) ? state : (this.dictLink[state] as number);
      while (out >= 0) {
        const last = this.outStart[out + 1] as number;
        for (let k = this.outStart[out] as number; k < last; k += 1) {
          const id = this.outIds[k] as number;
          onMatch(id, i + 1 - (this.entryLength[id] as number), i + 1);
        }
        out = this.dictLink[out] as number;
      }
    }
  }

  /** The rule and keyword index of an entry, and its mode. */
  entry(entryId: number): { ruleIndex: number; keywordIndex: number; mode: KeywordMode } {
    return {
      ruleIndex: this.entryRule[entryId] as number,
      keywordIndex: this.entryKeyword[entryId] as number,
      mode: MODES[this.entryMode[entryId] as number] as KeywordMode,
    };
  }

  /** First accepted keyword per rule in a normalised message: rule index → hit. */
  scan(text: string): Map<number, KeywordHit> {
    const hits = new Map<number, KeywordHit>();
    let core: { start: number; end: number } | null = null;
    this.scanRaw(text, (id, start, end) => {
      const rule = this.entryRule[id] as number;
      if (hits.has(rule)) return;
      const mode = MODES[this.entryMode[id] as number] as KeywordMode;
      if (mode === 'exact' || mode === 'starts_with') core ??= coreBounds(text);
      if (acceptsHit(mode, text, start, end, core ?? { start: 0, end: text.length })) {
        hits.set(rule, { keywordIndex: this.entryKeyword[id] as number, start, end });
      }
    });
    return hits;
  }
}
