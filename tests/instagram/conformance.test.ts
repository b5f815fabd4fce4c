import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseWebhookBody, type NormalisedEventKind } from '../../shared/instagram';

/**
 * Every webhook sample in ../shared/fixtures/instagram/ parses to the kinds written here by
 * hand. The samples are read in place, never copied into the repo. Without the folder the
 * suite is skipped with the reason in its title; with CI=true a missing folder fails.
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixturesDir =
  process.env.SWITCHBOARD_FIXTURES_DIR ?? path.resolve(repoRoot, '..', 'shared', 'fixtures', 'instagram');
const haveFixtures = existsSync(fixturesDir);
const inCi = process.env.CI === 'true';

interface Parsed {
  kinds: NormalisedEventKind[];
  /** Checked against the first event with toMatchObject. */
  event?: Record<string, unknown>;
  /** Checked against the first entry's time. */
  entryTime?: number | null;
}

/** A sample that is a bare `messaging[]` item, not a delivery: refused, and parsed once wrapped. */
interface BareItem {
  refused: 'wrong_shape';
  wrapped: Parsed;
}

const expectations: Record<string, Parsed | BareItem> = {
  'webhook_comments_change.moca-testdoc.json': {
    kinds: ['comment'],
    entryTime: 1234567890000,
    event: {
      accountId: '123456789',
      dedupKey: 'comment:17865799348089039',
      commentId: '17865799348089039',
      parentId: '1231231234',
      customerId: '232323232',
      text: 'This is a test comment!',
    },
  },
  'webhook_comments_change_fblogin.meta-docs.json': {
    kinds: ['comment'],
    entryTime: 1520622968000,
    event: {
      commentId: '<COMMENT_ID>',
      parentId: '<PARENT_COMMENT_ID>',
      media: { adId: '<AD_ID>', originalMediaId: '<ORIGINAL_MEDIA_ID>' },
    },
  },
  'webhook_comments_change_iglogin.meta-docs.json': {
    kinds: ['comment'],
    entryTime: 1520622968000,
    event: {
      commentId: '<COMMENT_ID>',
      from: { id: '<INSTAGRAM_SCOPED_USER_ID>', username: '<USERNAME>' },
      media: { mediaProductType: 'FEED' },
    },
  },
  'webhook_mentions_change_comment.meta-docs.json': {
    kinds: ['mention'],
    event: {
      accountId: '17841405726653026',
      mediaId: '17918195224117851',
      commentId: '17894227972186120',
      timestamp: 1520622968000,
    },
  },
  'webhook_mentions_change_media.meta-docs.json': {
    kinds: ['mention'],
    event: { mediaId: '17918195224117851', commentId: null },
  },
  'webhook_message_ads_referral_ctd.meta-docs.json': {
    kinds: ['message'],
    event: {
      message: {
        referral: {
          source: 'ADS',
          type: 'OPEN_THREAD',
          adId: '<AD_ID>',
          adsContext: { adTitle: '<AD_TITLE>' },
        },
      },
    },
  },
  'webhook_message_attachment_image.courier.json': {
    kinds: ['message'],
    event: {
      dedupKey: 'external_id',
      customerId: '5678',
      message: { attachments: [{ type: 'image', url: 'https://image-url/foo.png' }] },
    },
  },
  'webhook_message_deleted.courier.json': {
    kinds: ['message_deleted'],
    event: { dedupKey: 'delete:external_id', byBusiness: false },
  },
  'webhook_message_echo_minimal.courier.json': {
    kinds: ['echo'],
    entryTime: null,
    // courier's sample does not swap the ids as real echoes do; entry.id still names the account.
    event: { dedupKey: 'qT7ywaK', businessId: '1234567890', customerId: '5678' },
  },
  'webhook_message_edit.meta-docs.json': {
    kinds: ['message_edit'],
    event: { mid: '<MESSAGE_ID>', text: '<USER_EDITED_MESSAGE>', numEdit: null },
  },
  'webhook_message_ephemeral.meta-docs.json': {
    kinds: ['message'],
    event: { message: { attachments: [{ type: 'ephemeral', url: null }] } },
  },
  'webhook_message_igme_referral_new_thread.meta-docs.json': {
    kinds: ['message'],
    event: {
      message: { text: null, referral: { ref: 'ref_data_in_ig_dot_me_param', source: 'SHORTLINKS' } },
    },
  },
  'webhook_message_like_heart_sticker.courier.json': {
    kinds: ['message'],
    event: { message: { attachments: [{ type: 'like_heart', url: null, payload: null }] } },
  },
  'webhook_message_multiple_attachments.meta-docs.json': {
    kinds: ['message'],
    event: { message: { attachments: [{ type: 'image' }, { type: 'video' }] } },
  },
  'webhook_message_quick_reply.meta-docs.json': {
    kinds: ['message'],
    event: { message: { quickReplyPayload: '<PAYLOAD>', text: '<SOME_TEXT>' } },
  },
  'webhook_message_reply_to_message.meta-docs.json': {
    kinds: ['message'],
    event: { message: { replyTo: { kind: 'message', mid: '<MESSAGE_ID_BEING_REPLIED_TO>' } } },
  },
  'webhook_message_story_mention.courier.json': {
    kinds: ['message'],
    event: { message: { attachments: [{ type: 'story_mention', url: 'https://story-url' }] } },
  },
  'webhook_message_text.courier.json': {
    kinds: ['message'],
    entryTime: 1459991487970,
    event: { message: { text: 'Hello World' }, timestamp: 1459991487970 },
  },
  'webhook_message_unsupported.meta-docs.json': {
    kinds: ['message'],
    event: { message: { isUnsupported: true } },
  },
  'webhook_pass_thread_control_event.meta-docs.json': {
    refused: 'wrong_shape',
    wrapped: {
      kinds: ['handover'],
      event: {
        action: 'pass_thread_control',
        previousOwnerAppId: 'APP-RELEASING-CONTROL',
        newOwnerAppId: 'APP-GETTING-CONTROL',
      },
    },
  },
  'webhook_postback_icebreaker.courier.json': {
    kinds: ['postback'],
    event: { mid: null, payload: 'get_started', dedupKey: 'postback:5678:1459991487970' },
  },
  'webhook_postback_icebreaker_igme_referral.meta-docs.json': {
    kinds: ['postback'],
    event: { mid: '<MESSAGE_ID>', referral: { ref: 'ref_data_in_ig_dot_me_param' } },
  },
  'webhook_postback_template_button.meta-docs.json': {
    kinds: ['postback'],
    event: { payload: '<OPTION_OR_BUTTON_PAYLOAD>' },
  },
  'webhook_reaction_react.meta-docs.json': {
    kinds: ['reaction'],
    event: { action: 'react', reaction: 'love', emoji: '❤️' },
  },
  'webhook_reaction_unreact.meta-docs.json': {
    kinds: ['reaction'],
    event: { action: 'unreact', reaction: null },
  },
  'webhook_referral_igme_existing_thread.meta-docs.json': {
    kinds: ['referral'],
    event: { referral: { type: 'OPEN_THREAD' } },
  },
  'webhook_take_thread_control_event.meta-docs.json': {
    refused: 'wrong_shape',
    wrapped: {
      kinds: ['handover'],
      event: { action: 'take_thread_control', newOwnerAppId: 'NEW-OWNER-APP-ID' },
    },
  },
};

function check(text: string, expected: Parsed): void {
  const parsed = parseWebhookBody(text);
  if (!parsed.ok) throw new Error(`refused: ${parsed.reason}: ${parsed.message}`);
  expect(parsed.rejectedEntries).toEqual([]);
  const events = parsed.entries.flatMap((entry) => entry.events);
  expect(events.map((event) => event.kind)).toEqual(expected.kinds);
  if (expected.event) expect(events[0]).toMatchObject(expected.event);
  if (expected.entryTime !== undefined) expect(parsed.entries[0]?.time).toBe(expected.entryTime);
}

const suite = haveFixtures ? describe : describe.skip;
const title = haveFixtures
  ? 'conformance with the shared webhook samples'
  : `conformance with the shared webhook samples (skipped: no folder at ${fixturesDir}; set SWITCHBOARD_FIXTURES_DIR)`;

if (!haveFixtures && !inCi) {
  console.warn(
    `[instagram conformance] fixtures folder not found at ${fixturesDir}: conformance tests are SKIPPED`,
  );
}

// Registered only in CI, where a missing folder must fail the run rather than skip it.
if (inCi) {
  describe('fixtures folder', () => {
    it('exists when CI=true', () => {
      expect(haveFixtures, `CI=true requires the shared samples at ${fixturesDir}`).toBe(true);
    });
  });
}

suite(title, () => {
  const present = haveFixtures
    ? readdirSync(fixturesDir)
        .filter((name) => name.startsWith('webhook_'))
        .sort()
    : [];

  it('the table names every webhook_* sample present, and nothing else', () => {
    expect(present.length).toBeGreaterThan(0);
    expect(
      present.filter((name) => !(name in expectations)),
      'samples without an expectation',
    ).toEqual([]);
    expect(
      Object.keys(expectations).filter((name) => !present.includes(name)),
      'expectations without a sample',
    ).toEqual([]);
  });

  it.each(Object.entries(expectations))('%s', (name, expected) => {
    const text = readFileSync(path.join(fixturesDir, name), 'utf8');
    if ('refused' in expected) {
      expect(parseWebhookBody(text)).toMatchObject({ ok: false, reason: expected.refused });
      const item = JSON.parse(text) as { recipient?: { id?: unknown } };
      check(
        JSON.stringify({
          object: 'instagram',
          entry: [{ id: item.recipient?.id, time: 1700000000500, messaging: [item] }],
        }),
        expected.wrapped,
      );
    } else {
      check(text, expected);
    }
  });
});
