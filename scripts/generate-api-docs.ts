import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { renderApiDocs } from './api-docs';

const target = resolve(import.meta.dirname, '..', 'docs', 'api.md');
writeFileSync(target, renderApiDocs());
process.stderr.write(`wrote ${target}\n`);
