import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventNames, methodNames } from '../../shared/contract';
import { renderApiDocs } from '../../scripts/api-docs';

describe('docs/api.md', () => {
  const committed = readFileSync(resolve(import.meta.dirname, '..', '..', 'docs', 'api.md'), 'utf8');

  it('is what the contract generates (run `npm run docs:api` after changing the contract)', () => {
    expect(committed).toBe(renderApiDocs());
  });

  it('documents every method and every event', () => {
    for (const name of [...methodNames, ...eventNames]) expect(committed).toContain(`### \`${name}\``);
  });
});
