import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh random token per run: 256 bits, URL-safe. */
export function generateApiToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Compares a presented token with the expected one in constant time.
 *
 * Both sides are hashed first so that the comparison does not depend on, or reveal, the length.
 */
export function tokenMatches(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

/**
 * DNS-rebinding defence: a page on another name that resolves to 127.0.0.1 still sends its own Host.
 * Only our loopback names with our port are accepted.
 */
export function hostAllowed(host: string | undefined, port: number): boolean {
  if (!host) return false;
  return host === `127.0.0.1:${port}` || host === `localhost:${port}` || host === `[::1]:${port}`;
}
