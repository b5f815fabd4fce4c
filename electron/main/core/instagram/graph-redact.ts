/**
 * Keeps access tokens and app secrets out of everything an error carries.
 *
 * Two layers, because either alone has holes: query parameters that hold
 * secrets are masked by name (covers a token we were never told about, such
 * as an app token passed to `debug_token`), and every known secret value is
 * replaced wherever it appears (covers Meta or a library echoing it in free
 * text, in any encoding we send it in).
 */

/** What replaces a secret. */
export const REDACTED = '[redacted]';

/** Query parameters whose values are secrets on Meta's endpoints. */
const SECRET_PARAMS = [
  'access_token',
  'input_token',
  'appsecret_proof',
  'client_secret',
  'fb_exchange_token',
  'code',
];

const SECRET_PARAM_PATTERN = new RegExp(`([?&](?:${SECRET_PARAMS.join('|')})=)[^&#\\s"']*`, 'gi');
// Only `Bearer`: "OAuth" also starts Meta's own wording ("Invalid OAuth access token").
const BEARER_PATTERN = /(Bearer)\s+[^\s"',;]+/gi;

/** Mask secret query parameters and bearer credentials in a URL or any text. */
export function redactUrl(text: string): string {
  return text.replace(SECRET_PARAM_PATTERN, `$1${REDACTED}`).replace(BEARER_PATTERN, `$1 ${REDACTED}`);
}

/** A function that removes secrets from a string. */
export type Scrub = (text: string) => string;

/**
 * Build a scrubber for the given secret values (plus the URL rules above).
 * Values shorter than 8 characters are ignored: no real token or secret is
 * that short, and masking them would mangle ordinary words.
 */
export function createScrubber(secrets: ReadonlyArray<string | undefined>): Scrub {
  const needles = new Set<string>();
  for (const secret of secrets) {
    if (secret === undefined || secret.length < 8) continue;
    needles.add(secret);
    needles.add(encodeURIComponent(secret));
    needles.add(new URLSearchParams({ v: secret }).toString().slice(2));
    needles.add(JSON.stringify(secret).slice(1, -1));
  }
  // Longest first, so a secret that contains another is masked whole.
  const ordered = [...needles].filter((n) => n.length >= 8).sort((a, b) => b.length - a.length);
  return (text: string): string => {
    let out = text;
    for (const needle of ordered) {
      if (out.includes(needle)) out = out.split(needle).join(REDACTED);
    }
    return redactUrl(out);
  };
}
