import { request as httpRequest } from 'node:http';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCoreUnderTest, type CoreUnderTest } from '../support/core-harness';

/** A raw request, so that tests can send what fetch refuses to (a foreign Host header, a lying length). */
function rawRequest(
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: options.headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

let harness: CoreUnderTest;
let rendererDir: string;

beforeAll(async () => {
  rendererDir = mkdtempSync(join(tmpdir(), 'switchboard-renderer-'));
  mkdirSync(join(rendererDir, 'assets'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>test renderer</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  harness = await startCoreUnderTest({ rendererDir });
});
afterAll(async () => {
  await harness.dispose();
});

const host = () => `127.0.0.1:${harness.api.port}`;
const auth = () => ({ Authorization: `Bearer ${harness.api.token}`, Host: host() });
const call = (method: string, body: string, headers: Record<string, string> = {}) =>
  rawRequest(harness.api.port, {
    method: 'POST',
    path: `/api/call/${method}`,
    headers: { ...auth(), 'Content-Type': 'application/json', ...headers },
    body,
  });

describe('loopback HTTP transport', () => {
  it('binds to 127.0.0.1 only', () => {
    expect(harness.api.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('refuses a call without a token, and with a wrong one', async () => {
    const none = await rawRequest(harness.api.port, {
      method: 'POST',
      path: '/api/call/app.getInfo',
      headers: { Host: host(), 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body)).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    const wrong = await call('app.getInfo', '{}', { Authorization: `Bearer ${harness.api.token}x` });
    expect(wrong.status).toBe(401);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const response = await call('app.getInfo', '{}', { Host: `evil.example:${harness.api.port}` });
    expect(response.status).toBe(403);
    expect(JSON.parse(response.body)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('refuses a cross-site Origin and never sends CORS headers', async () => {
    const response = await call('app.getInfo', '{}', { Origin: 'https://evil.example' });
    expect(response.status).toBe(403);
    const allowed = await call('app.getInfo', '{}', { Origin: `http://127.0.0.1:${harness.api.port}` });
    expect(allowed.status).toBe(200);
    for (const res of [response, allowed]) {
      expect(Object.keys(res.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    }
  });

  it('refuses malformed JSON with INVALID_INPUT', async () => {
    const response = await call('app.getInfo', '{"unterminated": ');
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toEqual({
      ok: false,
      error: { code: 'INVALID_INPUT', message: 'The request body is not valid JSON.' },
    });
  });

  it('refuses a body over the limit with PAYLOAD_TOO_LARGE', async () => {
    const big = JSON.stringify({ padding: 'x'.repeat(1024 * 1024 + 10) });
    const response = await call('app.getInfo', big);
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body)).toMatchObject({ ok: false, error: { code: 'PAYLOAD_TOO_LARGE' } });
  });

  it('refuses a body that is not declared as JSON', async () => {
    const response = await call('app.getInfo', '{}', { 'Content-Type': 'text/plain' });
    expect(response.status).toBe(415);
    expect(JSON.parse(response.body)).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED_MEDIA_TYPE' } });
  });

  it('reports invalid input field by field', async () => {
    const response = await call('app.getInfo', '{"surprise": true}');
    expect(response.status).toBe(400);
    const body = JSON.parse(response.body) as { error: { code: string; issues: { path: string }[] } };
    expect(body.error.code).toBe('INVALID_INPUT');
    expect(body.error.issues.length).toBeGreaterThan(0);
  });

  it('keeps serving after every kind of bad request', async () => {
    const response = await call('app.getInfo', '{}');
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ ok: true, value: { name: 'Switchboard' } });
  });

  it('pushes events over SSE to a client holding the token', async () => {
    const controller = new AbortController();
    const response = await fetch(`${harness.api.origin}/api/events`, {
      headers: { Authorization: `Bearer ${harness.api.token}` },
      signal: controller.signal,
    });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    await reader.read(); // the greeting comment
    harness.core.status.update('tunnel', { state: 'error', message: 'failed to connect session' });
    let text = '';
    while (!text.includes('\n\n')) text += (await reader.read()).value ?? '';
    controller.abort();
    expect(text.startsWith('event: app.statusChanged\ndata: ')).toBe(true);
    const payload = JSON.parse(text.split('data: ')[1]!.trim()) as { tunnel: unknown };
    expect(payload.tunnel).toEqual({ state: 'error', message: 'failed to connect session' });
  });

  it('refuses the event stream without the token', async () => {
    const response = await fetch(`${harness.api.origin}/api/events`);
    expect(response.status).toBe(401);
  });
});

describe('serving the renderer', () => {
  it('locks the UI without the token', async () => {
    const response = await rawRequest(harness.api.port, { path: '/', headers: { Host: host() } });
    expect(response.status).toBe(401);
    expect(response.body).not.toContain('test renderer');
  });

  it('serves the UI with the token, sets a strict session cookie and a strict CSP', async () => {
    const response = await rawRequest(harness.api.port, {
      path: `/?token=${harness.api.token}`,
      headers: { Host: host() },
    });
    expect(response.status).toBe(200);
    expect(response.body).toContain('test renderer');
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    expect(response.headers['content-security-policy']).toContain("object-src 'none'");
    const cookie = String(response.headers['set-cookie']);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const asset = await rawRequest(harness.api.port, {
      path: '/assets/app.js',
      headers: { Host: host(), Cookie: `sb_session=${harness.api.token}` },
    });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toContain('text/javascript');
  });

  it('never serves files outside the renderer folder', async () => {
    for (const path of ['/../package.json', '/%2e%2e/%2e%2e/etc/passwd', '/assets/../../secret']) {
      const response = await rawRequest(harness.api.port, {
        path,
        headers: { Host: host(), Cookie: `sb_session=${harness.api.token}` },
      });
      expect(response.status).toBe(404);
    }
  });
});
