import { SecretKey, unwrapKey } from './secret-key';

/** What the logger replaces secrets with. */
export const REDACTION = '[redacted]';

/** A secret as the logger may know it: a string, raw bytes, or a master key. */
export type Redactable = string | Uint8Array | SecretKey;

/**
 * Every text form under which a secret might be printed: the string itself, and for bytes and keys their
 * base64, base64url and hex encodings.
 */
export function secretForms(secret: Redactable): string[] {
  if (typeof secret === 'string') return secret.length > 0 ? [secret] : [];
  const bytes = secret instanceof SecretKey ? unwrapKey(secret) : Buffer.from(secret);
  if (bytes.length === 0) return [];
  const base64 = bytes.toString('base64');
  return [
    base64,
    base64.replace(/=+$/, ''),
    bytes.toString('base64url'),
    bytes.toString('hex'),
    bytes.toString('hex').toUpperCase(),
  ];
}

/**
 * Replaces every occurrence of the given secrets in `text` with `[redacted]`.
 *
 * Longer forms are replaced first so that a secret containing another is hidden whole. Meant for the logger's
 * last line of defence; code should not put secrets in log lines in the first place.
 */
export function redact(text: string, secrets: Iterable<Redactable>): string {
  const forms = [...new Set([...secrets].flatMap(secretForms))].sort((a, b) => b.length - a.length);
  let out = text;
  for (const form of forms) out = out.split(form).join(REDACTION);
  return out;
}

/** A reusable redactor over a list that can grow (new tokens are added as accounts are loaded). */
export class RedactionList {
  readonly #secrets = new Set<Redactable>();

  add(secret: Redactable): void {
    this.#secrets.add(secret);
  }

  delete(secret: Redactable): void {
    this.#secrets.delete(secret);
  }

  redact(text: string): string {
    return redact(text, this.#secrets);
  }

  toJSON(): string {
    return `RedactionList(${this.#secrets.size})`;
  }
}
