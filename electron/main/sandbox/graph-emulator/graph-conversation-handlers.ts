/**
 * `/{node}/conversations` and `/{id}`: conversations, messages and customer profiles as Graph reads them.
 */
import type { SandboxCore } from './core';
import { graphErrors } from './errors';
import { requireOwnNode, requireScope, SCOPES } from './graph-auth';
import { graphTime, pickFields } from './graph-fields';
import { me } from './graph-token-handlers';
import { type GraphAuth, type GraphCall, type GraphHandler } from './graph-types';
import type { SandboxAccount, SandboxCustomer, StoredMessage } from './state';

function conversationList(
  core: SandboxCore,
  account: SandboxAccount,
): Array<{ id: string; updatedAt: number; igsid: string }> {
  return [...core.state.conversations.values()]
    .filter((c) => c.accountId === account.id)
    .sort((a, b) => b.updatedAt - a.updatedAt);
}

export const conversations: GraphHandler = {
  auth: 'account',
  run: (core, call, params, authOrNull) => {
    const auth = authOrNull as GraphAuth;
    requireOwnNode(call, auth, params.node ?? '');
    requireScope(auth, SCOPES[auth.account.loginType].messages, 10);
    if (call.query.get('platform') !== 'instagram')
      throw graphErrors.param('The parameter platform is required and must be instagram');
    const userId = call.query.get('user_id');
    const list = conversationList(core, auth.account).filter((c) => userId === null || c.igsid === userId);
    const data = list.map((c) => {
      const customer = core.state.customer(auth.account.id, c.igsid);
      return pickFields(
        call,
        'Conversation',
        {
          id: () => c.id,
          updated_time: () => graphTime(c.updatedAt),
          participants: () => ({
            data: [
              { username: auth.account.username, id: auth.account.id },
              { username: customer?.username ?? '', id: c.igsid },
            ],
          }),
        },
        ['id', 'updated_time'],
      );
    });
    return { status: 200, body: { data } };
  },
};

/** Only the 20 most recent messages of a conversation are readable (instagram-api.md §6). */
const READABLE_MESSAGES = 20;

function readableMessages(messages: StoredMessage[]): StoredMessage[] {
  return [...messages].sort((a, b) => b.createdAt - a.createdAt).slice(0, READABLE_MESSAGES);
}

function profile(call: GraphCall, customer: SandboxCustomer): Record<string, unknown> {
  return pickFields(
    call,
    'User',
    {
      id: () => customer.igsid,
      name: () => customer.name,
      username: () => customer.username,
      profile_pic: () => customer.profilePic,
      follower_count: () => customer.followerCount,
      is_user_follow_business: () => customer.isUserFollowBusiness,
      is_business_follow_user: () => customer.isBusinessFollowUser,
      is_verified_user: () => customer.isVerifiedUser,
    },
    ['name', 'username', 'profile_pic'],
  );
}

export const node: GraphHandler = {
  auth: 'account',
  run: (core, call, params, authOrNull) => {
    const auth = authOrNull as GraphAuth;
    const id = params.id ?? '';
    const { account } = auth;
    if (id === account.id || id === account.pageId) return me.run(core, call, params, auth);

    const conversation = core.state.conversations.get(id);
    if (conversation && conversation.accountId === account.id) {
      requireScope(auth, SCOPES[account.loginType].messages, 10);
      return {
        status: 200,
        body: pickFields(
          call,
          'Conversation',
          {
            id: () => conversation.id,
            updated_time: () => graphTime(conversation.updatedAt),
            messages: () => ({
              data: readableMessages(conversation.messages).map((m) => ({
                id: m.mid,
                created_time: graphTime(m.createdAt),
              })),
            }),
          },
          ['id'],
        ),
      };
    }

    const message = core.state.messages.get(id);
    if (message && message.accountId === account.id) {
      requireScope(auth, SCOPES[account.loginType].messages, 10);
      const owner = core.state.conversations.get(message.conversationId);
      const readable = owner ? readableMessages(owner.messages).some((m) => m.mid === id) : false;
      // Older messages error as if they did not exist.
      if (!readable || message.deleted) throw graphErrors.unsupported(call.method, id);
      const party = (partyId: string): { username: string; id: string } =>
        partyId === account.id
          ? { username: account.username, id: account.id }
          : { username: core.state.customer(account.id, partyId)?.username ?? '', id: partyId };
      const fields = pickFields(
        call,
        'Message',
        {
          id: () => message.mid,
          created_time: () => graphTime(message.createdAt),
          from: () => party(message.fromId),
          to: () => ({ data: [party(message.toId)] }),
          message: () => message.text ?? '',
        },
        ['id', 'created_time'],
      );
      return { status: 200, body: fields };
    }

    const customer = core.state.customer(account.id, id);
    if (customer && !customer.unavailable) {
      requireScope(auth, SCOPES[account.loginType].basic, 10);
      // Profile data only after the person messaged the account (or tapped an ice breaker).
      if (!customer.consented) throw graphErrors.consentRequired();
      return { status: 200, body: profile(call, customer) };
    }
    throw graphErrors.unsupported(call.method, id);
  },
};

// ---------------------------------------------------------------- send
