import { z } from 'zod';
import {
  errorCodes,
  events,
  httpPaths,
  httpStatusForCode,
  methods,
  type EventName,
  type MethodName,
} from '../shared/contract';

function schemaBlock(schema: z.ZodType): string {
  const json = z.toJSONSchema(schema, { unrepresentable: 'any' }) as Record<string, unknown>;
  delete json.$schema;
  return ['```json', JSON.stringify(json, null, 2), '```'].join('\n');
}

/** docs/api.md, generated from the contract so that it cannot drift (a test compares the two). */
export function renderApiDocs(): string {
  const out: string[] = [
    '# Switchboard HTTP API',
    '',
    '<!-- Generated from shared/contract by `npm run docs:api`. Do not edit by hand: a test checks it. -->',
    '',
    'Headless mode (`npm run headless`) serves the same contract the desktop app uses internally, on',
    '127.0.0.1 only. Scripts and integrations on the same machine can use it.',
    '',
    '## Authentication',
    '',
    'When ready, headless mode prints one JSON line on stdout with `api` (the base URL) and `token` (a new',
    'random token for every run). Send it with every request:',
    '',
    '```',
    'Authorization: Bearer <token>',
    '```',
    '',
    'Requests must be addressed to `127.0.0.1:<port>` or `localhost:<port>` (the `Host` header is checked),',
    "and a browser `Origin` other than the server's own is refused. No CORS headers are sent. Request bodies",
    'over 1 MiB are refused.',
    '',
    '## Calling a method',
    '',
    `\`POST ${httpPaths.callPrefix}<method>\` with a JSON body (\`Content-Type: application/json\`). The answer is`,
    'always a JSON envelope:',
    '',
    '```json',
    '{ "ok": true, "value": { } }',
    '{ "ok": false, "error": { "code": "INVALID_INPUT", "message": "…", "issues": [{ "path": "…", "message": "…" }] } }',
    '```',
    '',
    'Example:',
    '',
    '```sh',
    'curl -s -X POST "$API/api/call/app.getStatus" -H "Authorization: Bearer $TOKEN" \\',
    "  -H 'Content-Type: application/json' -d '{}'",
    '```',
    '',
    '### Error codes',
    '',
    '| code | HTTP status |',
    '| --- | --- |',
    ...errorCodes.map((code) => `| \`${code}\` | ${httpStatusForCode[code]} |`),
    '',
    '## Events',
    '',
    `\`GET ${httpPaths.events}\` (with the same Authorization header) opens a Server-Sent Events stream. Each`,
    'event has `event: <name>` and `data: <JSON payload>`; comment lines (`: …`) are heartbeats.',
    '',
    '## Methods',
    '',
  ];
  for (const name of Object.keys(methods) as MethodName[]) {
    const spec = methods[name];
    out.push(
      `### \`${name}\``,
      '',
      spec.summary,
      '',
      'Input:',
      '',
      schemaBlock(spec.input),
      '',
      'Output (`value`):',
      '',
      schemaBlock(spec.output),
      '',
    );
  }
  out.push('## Event payloads', '');
  for (const name of Object.keys(events) as EventName[]) {
    const spec = events[name];
    out.push(`### \`${name}\``, '', spec.summary, '', schemaBlock(spec.payload), '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
