/**
 * Rule engine benchmark: per-message decision time for 10, 1,000 and 10,000 keyword rules and 100
 * pattern rules on one account, compile time, and a naive baseline (a loop over the rules with a
 * lower-cased `includes`) measured in the same run on the same messages.
 *
 * `npm run bench -- rules [--messages N]`
 */
import { performance } from 'node:perf_hooks';
import { compileRules, decide } from '../shared/rules/index';
import type { CompiledRuleSet, ConversationContext, RuleEvent, RuleInput } from '../shared/rules/index';
import { percentile, report } from './lib/report';

const ACCOUNT = { accountId: 'acc-bench', name: 'Bench Bakery', timezone: 'Europe/Paris' };
const CONTEXT: ConversationContext = {
  isFirstMessage: false,
  status: 'active',
  labels: [],
  optedOut: false,
  name: 'Ana',
};
const NOW = Date.UTC(2025, 4, 14, 10, 30);

const COMMON = [
  'price',
  'prices',
  'delivery',
  'opening hours',
  'refund',
  'size guide',
  'gift card',
  'discount',
  'menu',
  'booking',
  'café',
  '❤️',
  'vegan',
  'gluten free',
  'wholesale',
];
const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  'ne',
  'ru',
  'sa',
  'ti',
  'vo',
  'ze',
  'pu',
  'ber',
  'dan',
  'fel',
  'gor',
  'hin',
  'jas',
  'kel',
  'mor',
  'nix',
  'pol',
];

/** Deterministic pseudo-random numbers, so every run measures the same workload. */
function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function productWord(i: number): string {
  const a = SYLLABLES[i % SYLLABLES.length] as string;
  const b = SYLLABLES[Math.floor(i / SYLLABLES.length) % SYLLABLES.length] as string;
  const c = SYLLABLES[Math.floor(i / 400) % SYLLABLES.length] as string;
  return `${a}${b}${c}${Math.floor(i / 8000) || ''}`;
}

function keywordRules(count: number): RuleInput[] {
  const rules: RuleInput[] = [];
  for (let i = 0; i < count; i += 1) {
    const keywords =
      i < COMMON.length
        ? [COMMON[i] as string]
        : [productWord(i * 3), productWord(i * 3 + 1), `${productWord(i * 3 + 2)} set`];
    rules.push({
      id: `k${i}`,
      accountId: ACCOUNT.accountId,
      name: `Keyword rule ${i}`,
      priority: count - i,
      status: 'published',
      trigger: { type: 'keyword', keywords },
      response: {
        kind: 'text',
        variants: [`Thanks {{name | "there"}}! About ${keywords[0] ?? ''}: see our site.`],
      },
    });
  }
  return rules;
}

function patternRules(count: number): RuleInput[] {
  const shapes = [
    (i: number) => `order\\s*(?:n(?:o|um(?:ber)?)\\.?\\s*)?#?\\s*(?P<order>${100 + i}\\d{2,})`,
    (i: number) => `(?P<size>\\d{2})\\s*(?:eu|us)\\s*size\\s*${i}`,
    (i: number) => `\\b(?P<email>[a-z0-9._%+-]+@shop${i}\\.[a-z]{2,})\\b`,
    (i: number) => `track(?:ing)?\\s+(?P<parcel>[A-Z]{2}${i}\\d{6,})`,
  ];
  return Array.from({ length: count }, (_, i): RuleInput => ({
    id: `p${i}`,
    accountId: ACCOUNT.accountId,
    name: `Pattern rule ${i}`,
    priority: count - i,
    status: 'published',
    trigger: { type: 'pattern', pattern: (shapes[i % shapes.length] as (i: number) => string)(i) },
    response: { kind: 'text', variants: ['Got it, we are looking into it.'] },
  }));
}

/** Short DMs as customers write them: greetings, questions, emoji; about a third hit a keyword. */
function messages(count: number, ruleCount: number, random: () => number): string[] {
  const plain = [
    'hi! do you ship to lyon?',
    'Hello 👋 are you open tomorrow',
    'what time do you close today',
    'love your cakes 😍😍',
    'Can I come pick it up at 5pm?',
    'thanks so much!!',
    'is the chocolate one still available',
    'Bonjour, vous livrez le dimanche ?',
    'ok 👍',
    'do you have anything without nuts? my son is allergic',
    'Where is your shop exactly',
    'ordered yesterday, when will it arrive',
  ];
  const hitting = [
    'What is the PRICE of the big one?',
    'delivery to paris?',
    'Do you have a Café au lait',
    'I ❤ this',
    'Is there a size guide?',
    'refund please, order #10234',
  ];
  const out: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const roll = random();
    if (roll < 0.55) out.push(plain[Math.floor(random() * plain.length)] as string);
    else if (roll < 0.8) out.push(hitting[Math.floor(random() * hitting.length)] as string);
    else {
      const rule = Math.floor(random() * Math.max(1, ruleCount - COMMON.length)) + COMMON.length;
      out.push(`hi, do you still have the ${productWord(rule * 3)} in blue? 🙏`);
    }
  }
  return out;
}

/** The naive engine: every rule in priority order, lower-cased `includes` on each keyword. */
function naiveMatcher(rules: RuleInput[]): (text: string) => string | null {
  const lowered = rules.map((r) => ({
    id: r.id,
    keywords: r.trigger?.type === 'keyword' ? r.trigger.keywords.map((k) => k.toLowerCase()) : [],
  }));
  return (text) => {
    const lower = text.toLowerCase();
    for (const rule of lowered)
      for (const keyword of rule.keywords) if (lower.includes(keyword)) return rule.id;
    return null;
  };
}

function time(fn: () => void): number {
  const start = performance.now();
  fn();
  return (performance.now() - start) * 1000;
}

function measure(compiled: CompiledRuleSet, texts: readonly string[]): number[] {
  const samples: number[] = [];
  let sink = 0;
  const events: RuleEvent[] = texts.map((text, i) => ({ kind: 'dm', text, id: `m${i}` }));
  for (const event of events.slice(0, 500))
    sink += decide(compiled, event, CONTEXT, NOW).trace.entries.length; // warm-up
  for (const event of events)
    samples.push(time(() => (sink += decide(compiled, event, CONTEXT, NOW).trace.entries.length)));
  if (sink < 0) console.error(sink);
  return samples;
}

function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Entry point for `bench/run.ts`. */
export async function run(args: string[]): Promise<void> {
  const flag = args.indexOf('--messages');
  const messageCount = flag >= 0 ? Number(args[flag + 1]) || 20_000 : 20_000;
  const random = rng(7);

  for (const ruleCount of [10, 1_000, 10_000]) {
    const rules = keywordRules(ruleCount);
    let compiled: CompiledRuleSet | null = null;
    const compileMs = time(() => (compiled = compileRules({ rules }, ACCOUNT))) / 1000;
    const set = compiled as unknown as CompiledRuleSet;
    if (set.errors.length > 0)
      throw new Error(`bench rules failed to compile: ${JSON.stringify(set.errors[0])}`);
    const texts = messages(messageCount, ruleCount, random);
    const ours = measure(set, texts);
    const naive = naiveMatcher(rules);
    let sink = 0;
    for (const text of texts.slice(0, 500)) sink += naive(text)?.length ?? 0;
    const naiveSamples = texts.map((text) => time(() => (sink += naive(text)?.length ?? 0)));
    if (sink < 0) console.error(sink);
    const p99 = percentile(ours, 99);
    const naiveP99 = percentile(naiveSamples, 99);
    const common = { bench: 'rules', kind: 'keyword', rules: ruleCount };
    report({ ...common, metric: 'compile_ms', value: round(compileMs) });
    report({ ...common, metric: 'decide_us_p50', value: round(percentile(ours, 50)) });
    report({ ...common, metric: 'decide_us_p99', value: round(p99) });
    report({ ...common, metric: 'naive_us_p99', value: round(naiveP99) });
    report({ ...common, metric: 'ratio_to_naive', value: round(naiveP99 / p99, 2) });
  }

  const rules = patternRules(100);
  let compiled: CompiledRuleSet | null = null;
  const compileMs = time(() => (compiled = compileRules({ rules }, ACCOUNT))) / 1000;
  const set = compiled as unknown as CompiledRuleSet;
  if (set.errors.length > 0)
    throw new Error(`bench patterns failed to compile: ${JSON.stringify(set.errors[0])}`);
  const texts = messages(Math.min(messageCount, 5_000), 0, random).map((t, i) =>
    i % 10 === 0 ? `hi, my order number #${1200 + (i % 50)}77 did not arrive` : t,
  );
  const ours = measure(set, texts);
  const common = { bench: 'rules', kind: 'pattern', rules: 100 };
  report({ ...common, metric: 'compile_ms', value: round(compileMs) });
  report({ ...common, metric: 'decide_us_p50', value: round(percentile(ours, 50)) });
  report({ ...common, metric: 'decide_us_p99', value: round(percentile(ours, 99)) });
}
