/**
 * Offline intent classifier: TF-IDF over word unigrams, word bigrams and character trigrams, scored by
 * cosine similarity to the closest example phrase of each intent.
 *
 * No model to download and fully deterministic, so the editor's test panel and main agree to the last
 * digit. Character trigrams make it forgiving of typos ("opne") and of scripts without spaces; bigrams
 * reward word order ("open sunday"). The closest example (not the centroid) is used because staff give
 * few, varied examples, and one close paraphrase is the strongest evidence a small set can give.
 */
import { normalizeText } from './normalize';

/** Score of one intent for one message. */
export interface IntentScore {
  /** Cosine similarity in [0, 1]. */
  score: number;
  /** The example phrase closest to the message, for the trace. */
  closestExample: string | null;
}

const WORD = /[\p{L}\p{N}]+/gu;

/** Feature counts of a text (already normalised or not: it is normalised again, which is idempotent). */
export function extractFeatures(text: string): Map<string, number> {
  const features = new Map<string, number>();
  const add = (key: string): void => {
    features.set(key, (features.get(key) ?? 0) + 1);
  };
  const words = normalizeText(text).match(WORD) ?? [];
  for (let i = 0; i < words.length; i += 1) {
    const word = words[i] as string;
    add(`w:${word}`);
    if (i + 1 < words.length) add(`b:${word} ${words[i + 1] as string}`);
    const padded = ` ${word} `;
    const chars = [...padded];
    for (let c = 0; c + 3 <= chars.length; c += 1) add(`c:${chars[c]}${chars[c + 1]}${chars[c + 2]}`);
  }
  return features;
}

interface ExampleVector {
  intent: number;
  text: string;
}

/** A classifier trained on the intents of one account. */
export class IntentClassifier {
  private readonly vocabulary = new Map<string, number>();
  private readonly idf: number[] = [];
  // Inverted index: feature → (example, weight) pairs, so scoring touches only overlapping examples.
  private readonly postings: Array<Array<[number, number]>> = [];
  private readonly examples: ExampleVector[] = [];
  private readonly intentNames: string[];
  private readonly unknownIdf: number;

  /** Trains on `{ name, examples }` pairs; intents must already be validated (non-empty examples). */
  constructor(intents: ReadonlyArray<{ name: string; examples: readonly string[] }>) {
    this.intentNames = intents.map((i) => i.name);
    const documents: Array<Map<string, number>> = [];
    intents.forEach((intent, intentIndex) => {
      for (const example of intent.examples) {
        this.examples.push({ intent: intentIndex, text: example });
        documents.push(extractFeatures(example));
      }
    });
    const documentFrequency = new Map<string, number>();
    for (const doc of documents)
      for (const key of doc.keys()) documentFrequency.set(key, (documentFrequency.get(key) ?? 0) + 1);
    const n = documents.length;
    for (const [key, df] of documentFrequency) {
      this.vocabulary.set(key, this.idf.length);
      this.idf.push(Math.log((1 + n) / (1 + df)) + 1);
      this.postings.push([]);
    }
    // A feature no example has is as rare as it gets: it still counts in the message's length, so a long
    // message that merely contains an example's words scores lower than the example itself.
    this.unknownIdf = Math.log(1 + n) + 1;
    documents.forEach((doc, exampleIndex) => {
      const weights: Array<[number, number]> = [];
      let norm = 0;
      for (const [key, count] of doc) {
        const index = this.vocabulary.get(key) as number;
        const weight = (1 + Math.log(count)) * (this.idf[index] as number);
        weights.push([index, weight]);
        norm += weight * weight;
      }
      const length = Math.sqrt(norm) || 1;
      for (const [index, weight] of weights)
        (this.postings[index] as Array<[number, number]>).push([exampleIndex, weight / length]);
    });
  }

  /** Names of the intents this classifier knows. */
  get intents(): readonly string[] {
    return this.intentNames;
  }

  /** Scores every intent for `text`: intent name → score and closest example. */
  classify(text: string): Map<string, IntentScore> {
    const features = extractFeatures(text);
    const query: Array<[number, number]> = [];
    let norm = 0;
    for (const [key, count] of features) {
      const index = this.vocabulary.get(key);
      const weight =
        (1 + Math.log(count)) * (index === undefined ? this.unknownIdf : (this.idf[index] as number));
      norm += weight * weight;
      if (index !== undefined) query.push([index, weight]);
    }
    const length = Math.sqrt(norm) || 1;
    const dots = new Map<number, number>();
    for (const [index, weight] of query) {
      for (const [example, exampleWeight] of this.postings[index] as Array<[number, number]>) {
        dots.set(example, (dots.get(example) ?? 0) + (weight / length) * exampleWeight);
      }
    }
    const scores = new Map<string, IntentScore>();
    for (const name of this.intentNames) scores.set(name, { score: 0, closestExample: null });
    for (const [exampleIndex, dot] of dots) {
      const example = this.examples[exampleIndex] as ExampleVector;
      const name = this.intentNames[example.intent] as string;
      const current = scores.get(name) as IntentScore;
      const score = Math.min(1, Math.max(0, dot));
      if (score > current.score) scores.set(name, { score, closestExample: example.text });
    }
    return scores;
  }
}
