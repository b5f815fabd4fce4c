import { describe, expect, it } from 'vitest';
import { ACCOUNT, CUSTOMER, MID, T_MS, delivery, entry, inbound, onlyEvent } from './helpers';

/**
 * One row per shape of a customer's message in instagram-api.md §4 (text, attachments, replies,
 * quick replies, referrals, flags). Payloads and expected
 * values are written by hand here; the shared samples are only used by conformance.test.ts.
 */
interface Row {
  name: string;
  item: Record<string, unknown>;
  expected: Record<string, unknown>;
}

const story = 'https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1800000000000001&signature=abc';

function attachmentRow(
  type: string,
  payload: Record<string, unknown> | undefined,
  isKnownType: boolean,
  url: string | null,
  title: string | null = null,
): Row {
  const attachment = payload === undefined ? { type } : { type, payload };
  return {
    name: `attachment ${type}`,
    item: inbound({ message: { mid: MID, attachments: [attachment] } }),
    expected: {
      kind: 'message',
      dedupKey: MID,
      message: {
        mid: MID,
        text: null,
        attachments: [{ type, isKnownType, url, title, payload: payload ?? null }],
      },
    },
  };
}

const rows: Row[] = [
  {
    name: 'text message',
    item: inbound({ message: { mid: MID, text: 'Hi, is the blue one in stock?' } }),
    expected: {
      kind: 'message',
      dedupKey: MID,
      source: 'messaging',
      accountId: ACCOUNT,
      businessId: ACCOUNT,
      customerId: CUSTOMER,
      senderId: CUSTOMER,
      recipientId: ACCOUNT,
      timestamp: T_MS,
      warnings: [],
      message: {
        mid: MID,
        text: 'Hi, is the blue one in stock?',
        attachments: [],
        replyTo: null,
        quickReplyPayload: null,
        referral: null,
        isSelf: false,
        isUnsupported: false,
      },
    },
  },
  attachmentRow('image', { url: 'https://cdn.example/a.jpg' }, true, 'https://cdn.example/a.jpg'),
  attachmentRow('video', { url: 'https://cdn.example/v.mp4' }, true, 'https://cdn.example/v.mp4'),
  attachmentRow('audio', { url: 'https://cdn.example/a.m4a' }, true, 'https://cdn.example/a.m4a'),
  attachmentRow('file', { url: 'https://cdn.example/f.pdf' }, true, 'https://cdn.example/f.pdf'),
  attachmentRow('share', { url: 'https://cdn.example/s' }, true, 'https://cdn.example/s'),
  attachmentRow(
    'ig_post',
    { url: 'https://cdn.example/p', ig_post_media_id: '1790000000000001' },
    true,
    'https://cdn.example/p',
  ),
  attachmentRow(
    'ig_reel',
    { url: 'https://cdn.example/r', reel_video_id: '1790000000000002' },
    true,
    'https://cdn.example/r',
  ),
  attachmentRow('reel', { url: 'https://cdn.example/r2' }, true, 'https://cdn.example/r2'),
  attachmentRow('story', { url: story }, true, story),
  attachmentRow('ig_story', { url: story }, true, story),
  attachmentRow('story_mention', { url: story }, true, story),
  attachmentRow('like_heart', undefined, true, null),
  attachmentRow('ephemeral', undefined, true, null),
  attachmentRow('media', { url: 'https://cdn.example/m' }, true, 'https://cdn.example/m'),
  attachmentRow(
    'fallback',
    { url: 'https://example.com', title: 'Example' },
    true,
    'https://example.com',
    'Example',
  ),
  attachmentRow('template', { template_type: 'generic' }, true, null),
  attachmentRow('hologram', { url: 'https://cdn.example/h' }, false, 'https://cdn.example/h'),
  {
    name: 'two attachments keep their order, title comes from the payload',
    item: inbound({
      message: {
        mid: MID,
        attachments: [
          { type: 'ig_reel', payload: { url: 'https://cdn.example/r', title: 'Spring drop' } },
          { type: 'image', payload: { url: 'https://cdn.example/i.jpg' } },
        ],
      },
    }),
    expected: {
      kind: 'message',
      message: {
        attachments: [
          { type: 'ig_reel', isKnownType: true, url: 'https://cdn.example/r', title: 'Spring drop' },
          { type: 'image', isKnownType: true, url: 'https://cdn.example/i.jpg', title: null },
        ],
      },
    },
  },
  {
    name: 'story reply',
    item: inbound({
      message: { mid: MID, text: 'love this', reply_to: { story: { url: story, id: '18000000000000001' } } },
    }),
    expected: {
      kind: 'message',
      message: { text: 'love this', replyTo: { kind: 'story', storyId: '18000000000000001', url: story } },
    },
  },
  {
    name: 'reply to an earlier message',
    item: inbound({ message: { mid: MID, text: 'yes that one', reply_to: { mid: 'm_earlier' } } }),
    expected: { kind: 'message', message: { replyTo: { kind: 'message', mid: 'm_earlier' } } },
  },
  {
    name: 'quick reply tapped',
    item: inbound({ message: { mid: MID, text: 'Opening hours', quick_reply: { payload: 'HOURS' } } }),
    expected: { kind: 'message', message: { text: 'Opening hours', quickReplyPayload: 'HOURS' } },
  },
  {
    name: 'click-to-Direct ad referral inside a message',
    item: inbound({
      message: {
        mid: MID,
        text: 'Is this still available?',
        referral: {
          ref: 'spring',
          ad_id: '120200000000000001',
          source: 'ADS',
          type: 'OPEN_THREAD',
          ads_context_data: {
            ad_title: 'Spring sale',
            photo_url: 'https://cdn.example/ad.jpg',
            video_url: 'https://cdn.example/ad.mp4',
          },
        },
      },
    }),
    expected: {
      kind: 'message',
      message: {
        referral: {
          ref: 'spring',
          source: 'ADS',
          type: 'OPEN_THREAD',
          adId: '120200000000000001',
          adsContext: {
            adTitle: 'Spring sale',
            photoUrl: 'https://cdn.example/ad.jpg',
            videoUrl: 'https://cdn.example/ad.mp4',
            postId: null,
          },
          productId: null,
        },
      },
    },
  },
  {
    name: 'ig.me referral opening a new thread, no text',
    item: inbound({
      message: { mid: MID, referral: { ref: 'bio_link', source: 'SHORTLINKS', type: 'OPEN_THREAD' } },
    }),
    expected: {
      kind: 'message',
      message: {
        text: null,
        referral: {
          ref: 'bio_link',
          source: 'SHORTLINKS',
          type: 'OPEN_THREAD',
          adId: null,
          adsContext: null,
          productId: null,
        },
      },
    },
  },
  {
    name: 'shop product referral',
    item: inbound({ message: { mid: MID, text: 'price?', referral: { product: { id: 7700000000000001 } } } }),
    expected: { kind: 'message', message: { referral: { productId: '7700000000000001' } } },
  },
  {
    name: 'self test message (sender and recipient are both the account)',
    item: {
      sender: { id: ACCOUNT },
      recipient: { id: ACCOUNT },
      timestamp: T_MS,
      message: { mid: MID, text: 'test', is_self: true },
    },
    expected: { kind: 'message', businessId: ACCOUNT, customerId: ACCOUNT, message: { isSelf: true } },
  },
  {
    name: 'unsupported content',
    item: inbound({ message: { mid: MID, is_unsupported: true } }),
    expected: { kind: 'message', message: { isUnsupported: true, text: null, attachments: [] } },
  },
];

describe('message content', () => {
  it.each(rows)('$name', ({ item, expected }) => {
    const event = onlyEvent(delivery([entry({ messaging: [item] })]));
    expect(event).toMatchObject(expected);
    expect(event.raw).toEqual(item);
  });
});
