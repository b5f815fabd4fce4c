/**
 * Builders for inbox tests: accounts with a client name, and conversations seeded through the
 * repositories' ingest path (the same call the receiver makes), with times relative to now.
 */
import type { Repositories } from '../../electron/main/core/db/repositories';
import type { IngestInput } from '../../electron/main/core/db/repositories/conversations-repository';
import { EventBus } from '../../electron/main/core/api/event-bus';
import { InboxService } from '../../electron/main/core/inbox/inbox-service';

let counter = 0;

export const HOUR = 3600_000;

/** A unique account of the given client. */
export async function addAccount(repos: Repositories, clientName: string) {
  counter += 1;
  const instagramAccountId = `1784150${String(Date.now() % 1e6).padStart(6, '0')}${String(counter).padStart(4, '0')}`;
  return repos.accounts.create({
    instagramAccountId,
    username: `acct_${instagramAccountId.slice(-8)}`,
    clientName,
  });
}

/** A unique, Meta-looking mid. */
export function mid(label: string): string {
  counter += 1;
  return `aWdfZAG1faXRlbToxOklHTWVzc2FnZA${label}_${counter}_${'Q'.repeat(60)}`;
}

/** A unique IGSID. */
export function igsid(): string {
  counter += 1;
  return `99${String(Date.now() % 1e9).padStart(9, '0')}${String(counter).padStart(5, '0')}`;
}

/** One message in a conversation with `person`, `agoMs` before now. */
export function message(
  accountId: string,
  person: { igsid: string; name?: string; username?: string },
  agoMs: number,
  extra: Partial<IngestInput> = {},
): IngestInput {
  return {
    accountId,
    participantIgsid: person.igsid,
    ...(person.name ? { participantName: person.name } : {}),
    ...(person.username ? { participantUsername: person.username } : {}),
    mid: mid('m'),
    direction: 'inbound',
    kind: 'text',
    text: 'hello',
    createdAt: new Date(Date.now() - agoMs),
    ...extra,
  };
}

/** The service over these repositories, with the events it publishes collected. */
export function inboxService(repos: Repositories) {
  const events = new EventBus();
  const published: { name: string; payload: unknown }[] = [];
  events.subscribe((event) => published.push(event));
  return { service: new InboxService({ repositories: () => repos, events }), published };
}
