import { describe, expect, it } from 'vitest';
import { ACCOUNT, delivery, entry, onlyEvent } from './helpers';

/** `changes[]` entries carry `time` in seconds: 1 Nov 2025 15:26:23 UTC. */
const T_SECONDS = 1762010783;
const T_AS_MS = 1762010783000;
const COMMENTER = '17841499999999999';

function changes(...items: unknown[]): string {
  return delivery([entry({ changes: items }, T_SECONDS)]);
}

describe('changes kinds', () => {
  it('comment, Instagram Login shape (value.id)', () => {
    const item = {
      field: 'comments',
      value: {
        id: '17865799348089039',
        from: { id: COMMENTER, username: 'jane.doe' },
        text: 'Price please',
        media: { id: '18012345678901234', media_product_type: 'FEED' },
      },
    };
    const event = onlyEvent(changes(item));
    expect(event).toEqual({
      kind: 'comment',
      field: 'comments',
      dedupKey: 'comment:17865799348089039',
      source: 'changes',
      accountId: ACCOUNT,
      businessId: ACCOUNT,
      customerId: COMMENTER,
      senderId: COMMENTER,
      recipientId: null,
      timestamp: T_AS_MS,
      raw: item,
      warnings: [],
      commentId: '17865799348089039',
      text: 'Price please',
      from: { id: COMMENTER, username: 'jane.doe' },
      media: {
        id: '18012345678901234',
        mediaProductType: 'FEED',
        adId: null,
        adTitle: null,
        originalMediaId: null,
      },
      parentId: null,
      isFromBusiness: false,
    });
  });

  it('comment, Facebook Login shape (value.comment_id, ad fields, parent)', () => {
    const event = onlyEvent(
      changes({
        field: 'comments',
        value: {
          from: { id: COMMENTER, username: 'jane.doe' },
          comment_id: '17870000000000001',
          parent_id: '17870000000000000',
          text: 'me too',
          media: {
            id: '18012345678901234',
            ad_id: '120200000000000002',
            ad_title: 'Spring',
            original_media_id: '18012345678900000',
            media_product_type: 'AD',
          },
        },
      }),
    );
    expect(event).toMatchObject({
      kind: 'comment',
      dedupKey: 'comment:17870000000000001',
      commentId: '17870000000000001',
      parentId: '17870000000000000',
      media: {
        id: '18012345678901234',
        mediaProductType: 'AD',
        adId: '120200000000000002',
        adTitle: 'Spring',
        originalMediaId: '18012345678900000',
      },
    });
  });

  it('live comment', () => {
    const event = onlyEvent(
      changes({
        field: 'live_comments',
        value: {
          id: '17870000000000002',
          from: { id: COMMENTER },
          text: 'hello live',
          media: { id: '1', media_product_type: 'LIVE' },
        },
      }),
    );
    expect(event).toMatchObject({
      kind: 'comment',
      field: 'live_comments',
      dedupKey: 'comment:17870000000000002',
      from: { id: COMMENTER, username: null },
    });
  });

  it('the account replying to a comment has no customer', () => {
    const event = onlyEvent(
      changes({
        field: 'comments',
        value: {
          id: '17870000000000003',
          from: { id: ACCOUNT, username: 'shop' },
          text: 'Sent you a DM',
          parent_id: '17865799348089039',
        },
      }),
    );
    expect(event).toMatchObject({
      kind: 'comment',
      isFromBusiness: true,
      customerId: null,
      senderId: ACCOUNT,
      parentId: '17865799348089039',
    });
  });

  it('a comment with both id and comment_id uses id and warns when they differ', () => {
    const event = onlyEvent(changes({ field: 'comments', value: { id: '1', comment_id: '2', text: 'x' } }));
    expect(event).toMatchObject({
      kind: 'comment',
      commentId: '1',
      warnings: ['both id 1 and comment_id 2; id was used'],
    });
  });

  it('mention in a caption', () => {
    const event = onlyEvent(changes({ field: 'mentions', value: { media_id: '18012345678901234' } }));
    expect(event).toMatchObject({
      kind: 'mention',
      dedupKey: 'mention:18012345678901234',
      mediaId: '18012345678901234',
      commentId: null,
      customerId: null,
      timestamp: T_AS_MS,
    });
  });

  it('mention in a comment', () => {
    const event = onlyEvent(
      changes({
        field: 'mentions',
        value: { media_id: '18012345678901234', comment_id: '17870000000000009' },
      }),
    );
    expect(event).toMatchObject({
      kind: 'mention',
      dedupKey: 'mention:18012345678901234:17870000000000009',
      commentId: '17870000000000009',
    });
  });
});

describe('changes that are not understood', () => {
  it.each([
    {
      name: 'unknown field',
      item: { field: 'story_insights', value: { impressions: 3 } },
      reason: 'changes field "story_insights" is not handled',
    },
    {
      name: 'comment without any id',
      item: { field: 'comments', value: { text: 'x' } },
      reason: 'comments value: a comment needs `id` (Instagram Login) or `comment_id` (Facebook Login)',
    },
    {
      name: 'mention without media',
      item: { field: 'mentions', value: {} },
      reason: 'mentions value.media_id: expected an id (a non-empty string or a whole number)',
    },
    {
      name: 'no field',
      item: { value: {} },
      reason: 'field: Invalid input: expected string, received undefined',
    },
    { name: 'a number instead of a change', item: 7, reason: 'a changes item must be an object' },
  ])('$name becomes unknown', ({ item, reason }) => {
    const event = onlyEvent(changes(item));
    expect(event).toMatchObject({
      kind: 'unknown',
      source: 'changes',
      reason,
      accountId: ACCOUNT,
      timestamp: T_AS_MS,
    });
    expect(event.raw).toEqual(item);
  });
});
