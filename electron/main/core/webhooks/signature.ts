/**
 * Webhook signature and verify-token checks, in constant time.
 *
 * Meta signs the exact bytes it sends (non-ASCII escaped as `\uXXXX`) with HMAC-SHA256, so the check runs
 * over the raw request bytes before anything parses them (instagram-api.md §2). Instagram Login apps may
 * sign with the Meta app secret or with the Instagram app secret; which one is not settled, so either is
 * accepted. The legacy `X-Hub-Signature` (SHA-1) is never enough on its own: SHA-1 HMAC is still sound, but
 * Meta sends SHA-256 with every delivery, so a request with only SHA-1 is not from Meta as documented.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Why a signature header did not verify. */
export type SignatureCheck =
  | { ok: true }
  | {
      ok: false;
      reason: 'signature_missing' | 'signature_sha1_only' | 'signature_malformed' | 'signature_invalid';
    };

const SHA256_HEADER = /^sha256=([0-9a-fA-F]{64})$/;

/**
 * Checks `X-Hub-Signature-256` against an HMAC-SHA256 of `body` with each secret. Every secret is tried
 * (no early exit), so the time taken says nothing about which one matched or how close a guess came.
 */
export function checkSignature(
  body: Buffer,
  header256: string | string[] | undefined,
  headerSha1: string | string[] | undefined,
  secrets: readonly Buffer[],
): SignatureCheck {
  if (header256 === undefined) {
    return { ok: false, reason: headerSha1 === undefined ? 'signature_missing' : 'signature_sha1_only' };
  }
  // Node joins repeated unknown headers with ", "; an array only comes from a caller: both are malformed.
  const match = typeof header256 === 'string' ? SHA256_HEADER.exec(header256.trim()) : null;
  const hex = match?.[1];
  if (!hex) return { ok: false, reason: 'signature_malformed' };
  const given = Buffer.from(hex, 'hex');
  let matched = false;
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(body).digest();
    // The comparison is evaluated before `matched`, so a match never skips the remaining secrets.
    matched = timingSafeEqual(expected, given) || matched;
  }
  return matched ? { ok: true } : { ok: false, reason: 'signature_invalid' };
}

/**
 * Compares a verify token in constant time, whatever the lengths: both sides are hashed first, so the
 * comparison always runs over 32 bytes and leaks neither the token's length nor a matching prefix.
 */
export function verifyTokenMatches(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b) && expected.length > 0;
}
