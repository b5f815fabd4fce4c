/**
 * Desktop preferences and the new-message notifier against real databases: preferences persist (a bad
 * stored value keeps what it can), and stored inbound messages become `desktop.notify` events per those
 * preferences, with the sender, the client and — unless private — the text.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { DesktopNotification } from '../../shared/contract';
import { EventBus } from '../../electron/main/core/api/event-bus';
import { silentLogger } from '../../electron/main/core/lib/logger';
import {
  DESKTOP_SETTINGS_KEY,
  DesktopNotifier,
  DesktopSettingsStore,
} from '../../electron/main/core/notifications';
import type { Repositories } from '../../electron/main/core/db/repositories';
import { forEachDialect } from '../support/databases';
import { addAccount, igsid, message } from '../inbox/support';

function harness(repos: Repositories, burstWindowMs = 60_000) {
  const events = new EventBus();
  const shown: DesktopNotification[] = [];
  const changes: unknown[] = [];
  events.subscribe((event) => {
    if (event.name === 'desktop.notify') shown.push(event.payload);
    if (event.name === 'desktop.settingsChanged') changes.push(event.payload);
  });
  const settings = new DesktopSettingsStore({ repositories: () => repos, events, logger: silentLogger() });
  const notifier = new DesktopNotifier({
    repositories: () => repos,
    events,
    settings,
    logger: silentLogger(),
    decision: { burstWindowMs, staleAfterMs: 600_000 },
    nameGraceMs: 1000,
  });
  /** Stores a message as ingest does and publishes its event as ingest does. */
  const receive = async (input: ReturnType<typeof message>) => {
    const [result] = await repos.conversations.ingestMany([input]);
    events.publish('inbox.messageAdded', {
      accountId: input.accountId,
      conversationId: result!.conversationId,
      messageId: result!.messageId,
      direction: input.direction ?? 'inbound',
      kind: input.kind ?? 'text',
      createdAt: new Date(input.createdAt).toISOString(),
    });
    await notifier.idle();
    return result!;
  };
  return { events, shown, changes, settings, notifier, receive };
}

forEachDialect('desktop notifications', (get) => {
  let account: { id: string; username: string };

  beforeAll(async () => {
    account = await addAccount(get().repos, 'Sunrise Bakery');
  });

  describe('preferences', () => {
    it('start from defaults, persist an update, announce it, and refuse bad input keeping what was stored', async () => {
      const { repos } = get();
      await repos.settings.delete(DESKTOP_SETTINGS_KEY);
      const { settings, changes } = harness(repos);
      expect(await settings.get()).toEqual({
        notifications: true,
        privateNotifications: false,
        startAtLogin: false,
        quietHours: [],
      });
      const night = { clientName: 'Sunrise Bakery', days: ['fri' as const], from: '22:00', to: '06:00' };
      await settings.update({ privateNotifications: true, quietHours: [night] });
      expect(changes).toHaveLength(1);
      const reread = await harness(repos).settings.get();
      expect(reread).toMatchObject({ privateNotifications: true, notifications: true, quietHours: [night] });
      await expect(settings.update({ quietHours: [{ ...night, days: [] }] })).rejects.toThrow(/day/);
      expect(await harness(repos).settings.get()).toEqual(reread);
    });

    it('keeps the readable fields of a stored value that no longer parses', async () => {
      const { repos } = get();
      await repos.settings.set(DESKTOP_SETTINGS_KEY, {
        privateNotifications: true,
        startAtLogin: 'sometimes',
        quietHours: [{ clientName: 'x' }],
      });
      expect(await harness(repos).settings.get()).toEqual({
        notifications: true,
        privateNotifications: true,
        startAtLogin: false,
        quietHours: [],
      });
      await repos.settings.delete(DESKTOP_SETTINGS_KEY);
    });
  });

  describe('new messages', () => {
    it('announce an inbound message with sender, client and text; private hides the text', async () => {
      const { repos } = get();
      const { shown, settings, receive, notifier } = harness(repos);
      const maria = { igsid: igsid(), name: 'Maria Lopez', username: 'maria.l' };
      const first = await receive(message(account.id, maria, 0, { text: 'Croissants <today>?' }));
      expect(shown).toEqual([
        {
          accountId: account.id,
          conversationId: first.conversationId,
          title: `Maria Lopez (@maria.l) → Sunrise Bakery · @${account.username}`,
          body: 'Croissants <today>?',
          count: 1,
          private: false,
        },
      ]);
      await settings.update({ privateNotifications: true });
      await receive(message(account.id, { igsid: igsid(), username: 'leo' }, 0, { text: 'secret plans' }));
      expect(shown[1]).toMatchObject({
        title: `@leo → Sunrise Bakery · @${account.username}`,
        body: 'New message',
      });
      expect(JSON.stringify(shown[1])).not.toContain('secret');
      notifier.dispose();
    });

    it('show the text of a message that arrived late behind many newer ones in its thread', async () => {
      const { repos } = get();
      const { shown, settings, receive, notifier } = harness(repos);
      await settings.update({ notifications: true, privateNotifications: false, quietHours: [] });
      const person = { igsid: igsid(), name: 'Ines' };
      await repos.conversations.ingestMany(
        Array.from({ length: 25 }, (_, i) => message(account.id, person, 0, { text: `newer ${i}` })),
      );
      await receive(message(account.id, person, 5 * 60_000, { text: 'sent five minutes ago' }));
      expect(shown.map((notification) => notification.body)).toEqual(['sent five minutes ago']);
      notifier.dispose();
    });

    it('stay silent for echoes, history, quiet hours and when turned off', async () => {
      const { repos } = get();
      const { shown, settings, receive, notifier } = harness(repos);
      await settings.update({ notifications: true, privateNotifications: false, quietHours: [] });
      const person = { igsid: igsid(), name: 'Ana' };
      await receive(
        message(account.id, person, 0, { direction: 'outbound', isEcho: true, text: 'our reply' }),
      );
      await receive(message(account.id, person, 48 * 3600_000, { text: 'two days ago' }));
      const everyDay = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
      await settings.update({
        quietHours: [{ clientName: 'Sunrise Bakery', days: [...everyDay], from: '00:00', to: '00:00' }],
      });
      await receive(message(account.id, person, 0, { text: 'in quiet hours' }));
      await settings.update({ quietHours: [], notifications: false });
      await receive(message(account.id, person, 0, { text: 'turned off' }));
      expect(shown).toEqual([]);
      await settings.update({ notifications: true });
      await receive(message(account.id, person, 0, { text: 'back on' }));
      expect(shown.map((notification) => notification.body)).toEqual(['back on']);
      notifier.dispose();
    });

    it('wait a moment for the name of someone new, then say who wrote', async () => {
      const { repos } = get();
      const { shown, settings, receive, notifier } = harness(repos);
      await settings.update({ notifications: true, privateNotifications: false, quietHours: [] });
      const stranger = { igsid: igsid() };
      await receive(message(account.id, stranger, 0, { text: 'first contact' }));
      expect(shown).toEqual([]);
      // What the profile lookup does after ingest.
      await repos.conversations.upsertConversation({
        accountId: account.id,
        participantIgsid: stranger.igsid,
        participantName: 'Noor',
        participantUsername: 'noor.k',
      });
      await expect.poll(() => shown.length, { timeout: 5_000 }).toBe(1);
      expect(shown[0]).toMatchObject({ title: `Noor (@noor.k) → Sunrise Bakery · @${account.username}` });
      notifier.dispose();
    });

    it('group a burst in one conversation: the first at once, the rest once with a count', async () => {
      const { repos } = get();
      const { shown, settings, receive, notifier } = harness(repos, 200);
      await settings.update({ notifications: true, privateNotifications: false, quietHours: [] });
      const person = { igsid: igsid(), username: 'burst' };
      for (const text of ['one', 'two', 'three']) await receive(message(account.id, person, 0, { text }));
      expect(shown.map((notification) => notification.body)).toEqual(['one']);
      await expect.poll(() => shown.length, { timeout: 5_000 }).toBe(2);
      expect(shown[1]).toMatchObject({ count: 2, body: '2 new messages — three' });
      notifier.dispose();
    });
  });
});
