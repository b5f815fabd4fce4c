/**
 * 0066 lets `rule_evaluations` name a comment: on SQLite the table is rebuilt, so the evaluations
 * recorded before the upgrade must come through unchanged (ids, traces, times) on both dialects.
 */
import { Migrator } from 'kysely';
import { expect, it } from 'vitest';
import { migrateToLatest } from '../../electron/main/core/db/migrate';
import { createRepositories } from '../../electron/main/core/db/repositories';
import { migrationProvider } from '../../migrations';
import { forEachDialect } from '../support/databases';
import { newAccount } from './fixtures';

forEachDialect(
  'rule evaluations across the comments migration',
  (db) => {
    it('keeps every message evaluation recorded before the upgrade', async () => {
      const { database } = db();
      const names = Object.keys(await migrationProvider.getMigrations()).sort();
      const before = names[names.indexOf('0065-create-instagram-comments') - 1]!;
      const migrator = new Migrator({
        db: database.kysely,
        provider: migrationProvider,
        allowUnorderedMigrations: true,
      });
      const partial = await migrator.migrateTo(before);
      expect(partial.error).toBeUndefined();

      const repos = createRepositories(database);
      const account = await repos.accounts.create(newAccount());
      const { messageId } = await repos.conversations.ingest({
        accountId: account.id,
        participantIgsid: '5521234567890999',
        mid: 'm_before_upgrade',
        direction: 'inbound',
        kind: 'text',
        text: 'price?',
        createdAt: new Date('2026-03-01T09:00:00Z'),
      });
      const evaluationId = await repos.rules.recordEvaluation({
        accountId: account.id,
        messageId,
        ruleId: 'rule-1',
        ruleVersion: 3,
        outcome: 'matched',
        trace: { decision: { outcome: 'reply' }, note: 'before 0066 ✓' },
        evaluatedAt: new Date('2026-03-01T09:00:01.250Z'),
      });

      await migrateToLatest(database);
      expect(await repos.rules.listEvaluations(messageId)).toEqual([
        {
          id: evaluationId,
          accountId: account.id,
          messageId,
          ruleId: 'rule-1',
          ruleVersion: 3,
          outcome: 'matched',
          trace: { decision: { outcome: 'reply' }, note: 'before 0066 ✓' },
          evaluatedAt: new Date('2026-03-01T09:00:01.250Z'),
        },
      ]);
      // New message evaluations are recorded as before.
      await repos.rules.recordEvaluation({
        accountId: account.id,
        messageId,
        outcome: 'no_match',
        trace: {},
      });
      expect(await repos.rules.listEvaluations(messageId)).toHaveLength(2);
    });
  },
  { migrate: false },
);
