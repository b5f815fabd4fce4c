import { createHmac } from 'node:crypto';

/** The two signature headers Meta sends with every webhook POST. */
export interface SignatureHeaders {
  'x-hub-signature-256': string;
  'x-hub-signature': string;
}

/**
 * Sign the exact bytes of a webhook body with an app secret.
 *
 * Refuses an empty secret: an HMAC with an empty key "works" and would let a
 * misconfigured receiver pass with no secret at all.
 */
export function signWebhookBody(body: string | Uint8Array, appSecret: string): SignatureHeaders {
  if (typeof appSecret !== 'string' || appSecret.length === 0) {
    throw new Error('Refusing to sign a webhook with an empty app secret');
  }
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return {
    'x-hub-signature-256': `sha256=${createHmac('sha256', appSecret).update(bytes).digest('hex')}`,
    'x-hub-signature': `sha1=${createHmac('sha1', appSecret).update(bytes).digest('hex')}`,
  };
}
