import http from 'node:http';
import https from 'node:https';

/** Outcome of a simulated verification handshake. */
export interface VerificationResult {
  /** True when the endpoint answered 200 with exactly the challenge. */
  ok: boolean;
  status: number | null;
  body: string;
  challenge: string;
  error: string | null;
}

/**
 * Do what Meta does when a callback URL is configured: GET it with
 * `hub.mode=subscribe`, `hub.verify_token` and `hub.challenge`, and accept
 * only a 200 whose body is the raw challenge (instagram-api.md §1).
 */
export function verifyCallback(
  callbackUrl: string,
  verifyToken: string,
  options: { challenge?: string; timeoutMs?: number } = {},
): Promise<VerificationResult> {
  const challenge = options.challenge ?? String(1_000_000_000 + Math.floor(Math.random() * 1_000_000_000));
  const url = new URL(callbackUrl);
  url.searchParams.set('hub.mode', 'subscribe');
  url.searchParams.set('hub.verify_token', verifyToken);
  url.searchParams.set('hub.challenge', challenge);
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    const request = transport.get(
      url,
      { agent: false, headers: { 'user-agent': 'facebookplatform/1.0' } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({
            ok: response.statusCode === 200 && body === challenge,
            status: response.statusCode ?? null,
            body,
            challenge,
            error: null,
          });
        });
      },
    );
    request.setTimeout(options.timeoutMs ?? 5000, () => request.destroy(new Error('timeout')));
    request.on('error', (error) =>
      resolve({ ok: false, status: null, body: '', challenge, error: error.message }),
    );
  });
}
