import { Globe, MessageSquareText, Pencil, Plus, Trash2 } from 'lucide-react';
import { useCallback, useEffect, useState } from 'react';
import type { AccountView, SavedReplyView } from '../../../../shared/contract';
import { useClient } from '../../app/client-context';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { SavedReplyDialog } from './saved-reply-dialog';
import './saved-replies.css';

type Editing =
  { kind: 'new' } | { kind: 'edit'; reply: SavedReplyView } | { kind: 'delete'; reply: SavedReplyView };

/**
 * The account's saved replies, in its detail page: the ones it owns and the ones every account shares,
 * each with its name (what follows `/` in the reply box) and its text. New, edit and delete from here.
 */
export function SavedRepliesSection(props: { account: AccountView }) {
  const client = useClient();
  const { account } = props;
  const [replies, setReplies] = useState<SavedReplyView[] | null>(null);
  const [variables, setVariables] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Editing | null>(null);

  const fetchAll = useCallback(
    () =>
      Promise.all([
        client.call('savedReplies.list', { accountId: account.id }),
        client.call('rules.getIntents', { accountId: account.id }),
      ]),
    [client, account.id],
  );
  const apply = useCallback(([list, settings]: Awaited<ReturnType<typeof fetchAll>>) => {
    if (list.ok) {
      setReplies(list.value.replies);
      setError(null);
    } else setError(list.error.message);
    if (settings.ok) setVariables(settings.value.variables);
  }, []);
  const load = async () => apply(await fetchAll());

  useEffect(() => {
    let live = true;
    void fetchAll().then((results) => {
      if (live) apply(results);
    });
    return () => {
      live = false;
    };
  }, [fetchAll, apply]);

  const remove = async (reply: SavedReplyView): Promise<string | null> => {
    const result = await client.call('savedReplies.delete', { id: reply.id, version: reply.version });
    if (!result.ok) return result.error.message;
    await load();
    return null;
  };

  return (
    <section className="card saved-replies" aria-labelledby="saved-replies-title">
      <div className="card__head">
        <h3 id="saved-replies-title" className="card__title card__title--icon">
          <MessageSquareText size={16} aria-hidden />
          Saved replies
        </h3>
        <button type="button" className="button button--small" onClick={() => setEditing({ kind: 'new' })}>
          <Plus size={14} aria-hidden />
          New reply
        </button>
      </div>
      <p className="card__lead">
        Type <kbd>/</kbd> in the reply box to insert one. Variables such as <code>{'{{first_name}}'}</code>{' '}
        are filled in for each conversation.
      </p>
      {error && (
        <p className="callout callout--error" role="alert">
          {error}
        </p>
      )}
      {replies && replies.length === 0 && (
        <p className="saved-replies__empty">
          No saved replies yet. Add the answers you type most — opening hours, prices, how to book.
        </p>
      )}
      {replies && replies.length > 0 && (
        <ul className="saved-replies__list" aria-label="Saved replies">
          {replies.map((reply) => (
            <li key={reply.id} className="saved-replies__item">
              <div className="saved-replies__text">
                <span className="saved-replies__name">
                  /{reply.name}
                  {reply.accountId === null && (
                    <span className="saved-replies__scope" title="Offered in every account’s conversations">
                      <Globe size={11} aria-hidden /> All accounts
                    </span>
                  )}
                </span>
                <span className="saved-replies__body" dir="auto">
                  {reply.body.split(/(\{\{[^{}]*\}\})/).map((part, index) =>
                    index % 2 === 1 ? (
                      <span key={index} className="saved-replies__var">
                        {part}
                      </span>
                    ) : (
                      part
                    ),
                  )}
                </span>
              </div>
              <div className="saved-replies__actions">
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Edit /${reply.name}`}
                  title="Edit"
                  onClick={() => setEditing({ kind: 'edit', reply })}
                >
                  <Pencil size={15} aria-hidden />
                </button>
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Delete /${reply.name}`}
                  title="Delete"
                  onClick={() => setEditing({ kind: 'delete', reply })}
                >
                  <Trash2 size={15} aria-hidden />
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {editing && editing.kind !== 'delete' && (
        <SavedReplyDialog
          account={account}
          variables={variables}
          reply={editing.kind === 'edit' ? editing.reply : null}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            void load();
          }}
        />
      )}
      {editing?.kind === 'delete' && (
        <ConfirmDialog
          title={`Delete /${editing.reply.name}?`}
          confirmLabel="Delete"
          tone="danger"
          onConfirm={() => remove(editing.reply)}
          onClose={() => setEditing(null)}
        >
          <p>
            {editing.reply.accountId === null
              ? 'It is offered in every account’s conversations; nobody will be able to insert it any more.'
              : 'Nobody will be able to insert it any more. Messages already sent stay as they are.'}
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
