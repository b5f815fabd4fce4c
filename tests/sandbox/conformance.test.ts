import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  buildCustomerEvent,
  buildEcho,
  buildEnvelope,
  serializeLikeMeta,
  type CustomerEvent,
  type WebhookItem,
} from '../../electron/main/sandbox';

/**
 * Every event shape the simulator builds must have the same structure (key
 * paths and value types, values ignored) as Meta's sample of it in
 * ../shared/fixtures/instagram/. The samples are never copied into the repo.
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixturesDir =
  process.env.SWITCHBOARD_FIXTURES_DIR ?? path.resolve(repoRoot, '..', 'shared', 'fixtures', 'instagram');
const haveFixtures = existsSync(fixturesDir);
const inCi = process.env.CI === 'true';

if (!haveFixtures) {
  console.warn(
    `[sandbox conformance] fixtures folder not found at ${fixturesDir}: conformance tests are SKIPPED (set SWITCHBOARD_FIXTURES_DIR)`,
  );
}

/** Key paths -> value type. Placeholder strings like "<MESSAGE_ID>" match any scalar type (Meta's docs use them for numbers too). */
function structure(value: unknown, at = '$', out = new Map<string, Set<string>>()): Map<string, Set<string>> {
  const add = (type: string): void => {
    const set = out.get(at) ?? new Set<string>();
    set.add(type);
    out.set(at, set);
  };
  if (Array.isArray(value)) {
    add('array');
    for (const item of value) structure(item, `${at}[]`, out);
  } else if (value !== null && typeof value === 'object') {
    add('object');
    for (const [key, child] of Object.entries(value)) structure(child, `${at}.${key}`, out);
  } else if (typeof value === 'string' && /^<[^>]+>$/.test(value)) {
    add('scalar');
  } else {
    add(value === null ? 'null' : typeof value);
  }
  return out;
}

function sameStructure(
  actual: unknown,
  expected: unknown,
): { missing: string[]; extra: string[]; typeMismatch: string[] } {
  const a = structure(actual);
  const e = structure(expected);
  const missing = [...e.keys()].filter((k) => !a.has(k));
  const extra = [...a.keys()].filter((k) => !e.has(k));
  const typeMismatch: string[] = [];
  for (const [key, types] of e) {
    const got = a.get(key);
    if (!got) continue;
    const expectedTypes = [...types];
    const ok = [...got].every(
      (t) =>
        expectedTypes.includes(t) || (expectedTypes.includes('scalar') && t !== 'object' && t !== 'array'),
    );
    if (!ok) typeMismatch.push(`${key}: expected ${expectedTypes.join('|')}, got ${[...got].join('|')}`);
  }
  return { missing, extra, typeMismatch };
}

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(path.join(fixturesDir, name), 'utf8')) as unknown;
}

let counter = 0;
function build(event: CustomerEvent, options: { loginType?: 'instagram' | 'facebook' } = {}): WebhookItem {
  return buildCustomerEvent(
    {
      accountId: '17841400000000001',
      customerId: '1254477777772919',
      customerUsername: 'someone',
      timestamp: 1762010783728,
      mid: 'aWdfbWVzc2FnZV9pdGVtOjE6SUdNZXNzYWdlSUQ6MTc4NDE0MDAwMDAwMDAwMDE',
      loginType: options.loginType ?? 'instagram',
      newCommentId: () => `1780000000000000${counter++}`,
      newMediaId: () => `1790000000000000${counter++}`,
    },
    event,
  );
}

/** What the simulator sends, as a receiver parses it. */
function envelope(item: WebhookItem): unknown {
  return JSON.parse(serializeLikeMeta(buildEnvelope([item], 1762010783728))) as unknown;
}

const ads = {
  source: 'ADS' as const,
  ref: 'r',
  adId: '1',
  adTitle: 't',
  photoUrl: 'https://x/p.jpg',
  videoUrl: 'https://x/v.jpg',
};
const shortlink = { source: 'SHORTLINKS' as const, ref: 'ref_data' };

const cases: Array<{ fixture: string; item: () => WebhookItem; bare?: boolean }> = [
  { fixture: 'webhook_message_text.courier.json', item: () => build({ type: 'text', text: 'Hello World' }) },
  {
    fixture: 'webhook_message_attachment_image.courier.json',
    item: () => build({ type: 'attachments', attachments: [{ type: 'image', url: 'https://x/a.png' }] }),
  },
  {
    fixture: 'webhook_message_multiple_attachments.meta-docs.json',
    item: () =>
      build({
        type: 'attachments',
        attachments: [
          { type: 'image', url: 'https://x/a' },
          { type: 'video', url: 'https://x/b' },
        ],
      }),
  },
  {
    fixture: 'webhook_message_story_mention.courier.json',
    item: () => build({ type: 'story_mention', url: 'https://story' }),
  },
  {
    fixture: 'webhook_message_like_heart_sticker.courier.json',
    item: () => build({ type: 'attachments', attachments: [{ type: 'like_heart' }] }),
  },
  {
    fixture: 'webhook_message_ephemeral.meta-docs.json',
    item: () => build({ type: 'attachments', attachments: [{ type: 'ephemeral' }] }),
  },
  { fixture: 'webhook_message_deleted.courier.json', item: () => build({ type: 'delete', targetMid: 'm' }) },
  { fixture: 'webhook_message_unsupported.meta-docs.json', item: () => build({ type: 'unsupported' }) },
  {
    fixture: 'webhook_message_quick_reply.meta-docs.json',
    item: () => build({ type: 'quick_reply', text: 'Yes', payload: 'P' }),
  },
  {
    fixture: 'webhook_message_reply_to_message.meta-docs.json',
    item: () => build({ type: 'reply_to', text: 't', replyToMid: 'm' }),
  },
  // num_edit is a "<NUMBER_…>" placeholder in Meta's sample: the placeholder matches our number.
  {
    fixture: 'webhook_message_edit.meta-docs.json',
    item: () => build({ type: 'edit', targetMid: 'm', text: 'fixed', numEdit: 1 }),
  },
  {
    fixture: 'webhook_reaction_react.meta-docs.json',
    item: () => build({ type: 'reaction', targetMid: 'm', reaction: 'love', emoji: '❤️' }),
  },
  {
    fixture: 'webhook_reaction_unreact.meta-docs.json',
    item: () => build({ type: 'unreact', targetMid: 'm' }),
  },
  {
    fixture: 'webhook_postback_template_button.meta-docs.json',
    item: () => build({ type: 'postback', title: 't', payload: 'p' }),
  },
  {
    fixture: 'webhook_postback_icebreaker_igme_referral.meta-docs.json',
    item: () => build({ type: 'postback', title: 't', payload: 'p', referral: shortlink }),
  },
  {
    fixture: 'webhook_referral_igme_existing_thread.meta-docs.json',
    item: () => build({ type: 'referral', referral: shortlink }),
  },
  {
    fixture: 'webhook_message_igme_referral_new_thread.meta-docs.json',
    item: () => build({ type: 'message_referral', referral: shortlink }),
  },
  {
    fixture: 'webhook_message_ads_referral_ctd.meta-docs.json',
    item: () => build({ type: 'message_referral', text: 'hi', referral: ads }),
  },
  {
    fixture: 'webhook_comments_change_iglogin.meta-docs.json',
    item: () => build({ type: 'comment', text: 'c' }),
  },
  {
    fixture: 'webhook_comments_change.moca-testdoc.json',
    item: () => build({ type: 'comment', text: 'c', parentId: '1' }),
  },
  {
    fixture: 'webhook_comments_change_fblogin.meta-docs.json',
    item: () =>
      build(
        { type: 'comment', text: 'c', parentId: '1', ad: { adId: '1', adTitle: 't', originalMediaId: '2' } },
        { loginType: 'facebook' },
      ),
  },
  {
    fixture: 'webhook_mentions_change_media.meta-docs.json',
    item: () => build({ type: 'mention', mediaId: '1' }),
  },
  {
    fixture: 'webhook_mentions_change_comment.meta-docs.json',
    item: () => build({ type: 'mention', mediaId: '1', commentId: '2' }),
  },
  {
    fixture: 'webhook_pass_thread_control_event.meta-docs.json',
    bare: true,
    item: () =>
      build({ type: 'pass_thread_control', previousOwnerAppId: 'a', newOwnerAppId: 'b', metadata: 'm' }),
  },
  {
    fixture: 'webhook_take_thread_control_event.meta-docs.json',
    bare: true,
    item: () =>
      build({ type: 'take_thread_control', previousOwnerAppId: 'a', newOwnerAppId: 'b', metadata: 'm' }),
  },
];

describe.skipIf(!haveFixtures && !inCi)('webhook shapes conform to the fixtures', () => {
  it('the fixtures folder exists (required in CI)', () => {
    expect(existsSync(fixturesDir), `fixtures folder missing: ${fixturesDir}`).toBe(true);
  });

  for (const c of cases) {
    it(`matches ${c.fixture}`, () => {
      const item = c.item();
      const ours: unknown = c.bare ? JSON.parse(serializeLikeMeta(item.payload)) : envelope(item);
      expect(sameStructure(ours, fixture(c.fixture))).toEqual({ missing: [], extra: [], typeMismatch: [] });
    });
  }

  it('matches webhook_postback_icebreaker.courier.json except the mid courier leaves out', () => {
    // Known fixture gap (SOURCES.md): courier's ice-breaker sample has no postback.mid; Meta sends it from v11.0 on.
    const diff = sameStructure(
      envelope(build({ type: 'postback', title: 'q', payload: 'get_started' })),
      fixture('webhook_postback_icebreaker.courier.json'),
    );
    expect(diff).toEqual({ missing: [], extra: ['$.entry[].messaging[].postback.mid'], typeMismatch: [] });
  });

  it("matches webhook_message_echo_minimal.courier.json up to courier's known omissions", () => {
    // Known doc error (SOURCES.md): courier's echo has no entry.time, no text, and does not swap sender/recipient.
    // We follow instagram-api.md: sender = the business account, recipient = the customer.
    const item = buildEcho({
      accountId: '17841400000000001',
      customerId: '1254477777772919',
      timestamp: 1,
      mid: 'm',
      text: 'hi',
      attachments: [],
    });
    const diff = sameStructure(envelope(item), fixture('webhook_message_echo_minimal.courier.json'));
    expect(diff).toEqual({
      missing: [],
      extra: ['$.entry[].time', '$.entry[].messaging[].message.text'],
      typeMismatch: [],
    });
    const payload = item.payload as { sender: { id: string }; recipient: { id: string } };
    expect(payload.sender.id).toBe('17841400000000001');
    expect(payload.recipient.id).toBe('1254477777772919');
  });
});

// Registered only when the folder is missing outside CI, so that the run says so instead of passing silently.
if (!haveFixtures && !inCi) {
  it('webhook shapes conform to the fixtures', (context) => {
    context.skip(`fixtures folder not found at ${fixturesDir}: nothing was compared`);
  });
}
