import { Bot, ExternalLink, Heart, MousePointerClick, Phone, Reply, Smartphone, User } from 'lucide-react';
import { memo } from 'react';
import type { AttachmentView, ThreadMessage } from '../../../../shared/contract';
import { formatDateTime } from '../../lib/format';
import { DeliveryState } from './delivery-state';
import { clockTime } from './inbox-format';
import { LinkifiedText } from './linkified-text';
import { Media } from './media';

const SHARE_TYPES = new Set([
  'share',
  'ig_post',
  'ig_reel',
  'reel',
  'story',
  'ig_story',
  'template',
  'fallback',
]);

function AttachmentBlock(props: { attachment: AttachmentView; direction: ThreadMessage['direction'] }) {
  const { attachment } = props;
  const { url } = attachment;
  switch (attachment.type) {
    case 'image':
      return url ? (
        <Media url={url} alt="Image" />
      ) : (
        <p className="bubble__note">An image (no link was sent)</p>
      );
    case 'video':
      return url ? (
        <Media url={url} video alt="Video" />
      ) : (
        <p className="bubble__note">A video (no link was sent)</p>
      );
    case 'audio':
      return url ? (
        <audio className="media-audio" src={url} controls preload="none" />
      ) : (
        <p className="bubble__note">A voice message</p>
      );
    case 'file':
    case 'media':
      return url ? (
        <a className="card-link" href={url} target="_blank" rel="noopener noreferrer nofollow">
          <ExternalLink size={14} aria-hidden /> {attachment.title ?? 'Open the file'}
        </a>
      ) : (
        <p className="bubble__note">A file</p>
      );
    case 'story_mention':
      return (
        <div className="story">
          <p className="bubble__note">
            Mentioned {props.direction === 'inbound' ? 'you' : 'them'} in a story
          </p>
          {url ? <Media url={url} alt="Story" expiredLabel="Story expired" /> : <StoryExpired />}
        </div>
      );
    case 'story_reply':
      return (
        <div className="story story--reply">
          <p className="bubble__note">Replied to your story</p>
          {url ? <Media url={url} alt="Story" expiredLabel="Story expired" /> : <StoryExpired />}
        </div>
      );
    case 'like_heart':
      return (
        <span className="bubble__heart" role="img" aria-label="Sent a heart">
          <Heart size={28} fill="currentColor" aria-hidden />
        </span>
      );
    case 'postback':
    case 'quick_reply':
      return (
        <p className="tapped" title={attachment.detail ? `Payload: ${attachment.detail}` : undefined}>
          <MousePointerClick size={14} aria-hidden /> Tapped a button
        </p>
      );
    case 'referral':
      return (
        <p className="bubble__note">
          Came from a link or ad{attachment.detail ? ` (${attachment.detail})` : ''}
        </p>
      );
    case 'ephemeral':
      return <p className="bubble__note">A view-once photo or video (Instagram does not share it)</p>;
    default:
      if (SHARE_TYPES.has(attachment.type)) {
        return (
          <div className="share-card">
            <span className="share-card__kind">{shareLabel(attachment.type)}</span>
            {attachment.title && <span className="share-card__title">{attachment.title}</span>}
            {url ? (
              <a href={url} target="_blank" rel="noopener noreferrer nofollow">
                <ExternalLink size={13} aria-hidden /> Open on Instagram
              </a>
            ) : (
              <span className="bubble__note">No link was shared</span>
            )}
          </div>
        );
      }
      return <p className="bubble__note">An attachment Switchboard cannot show ({attachment.type})</p>;
  }
}

function StoryExpired() {
  return <div className="media media--expired">Story expired</div>;
}

function shareLabel(type: string): string {
  if (type.includes('reel')) return 'Reel';
  if (type.includes('story')) return 'Story';
  if (type === 'ig_post') return 'Post';
  return 'Shared post';
}

function Origin(props: { message: ThreadMessage }) {
  const { origin } = props.message;
  switch (origin.kind) {
    case 'customer':
      return null;
    case 'rule':
      return (
        <span className="origin">
          <Bot size={12} aria-hidden /> Rule {origin.label ? `“${origin.label}”` : ''}
        </span>
      );
    case 'staff':
      return (
        <span className="origin">
          <User size={12} aria-hidden /> {origin.label ?? 'Staff'}
        </span>
      );
    case 'phone':
      return (
        <span className="origin">
          <Smartphone size={12} aria-hidden /> From the phone
        </span>
      );
    case 'app':
    case 'system':
      return (
        <span className="origin">
          <Phone size={12} aria-hidden /> Switchboard
        </span>
      );
    default: {
      const exhaustive: never = origin.kind;
      return <span className="origin">{String(exhaustive)}</span>;
    }
  }
}

/**
 * One message of the thread, whatever its kind; every text goes through React as text. Memoized:
 * the pane re-renders for many reasons that change no message (counts, the clock, the list).
 */
export const MessageBubble = memo(function MessageBubble(props: {
  message: ThreadMessage;
  onRetry: (outboxId: number) => void;
}) {
  const { message } = props;
  const side = message.direction === 'inbound' ? 'in' : 'out';
  const tapped = message.kind === 'postback' || message.kind === 'quick_reply';
  const history = message.edits
    .map((edit) => `${formatDateTime(edit.editedAt)}: ${edit.previousText ?? '(no text)'}`)
    .join('\n');
  return (
    <li className={`message message--${side}`} data-message-id={message.id} data-kind={message.kind}>
      <div
        className={`bubble bubble--${side}${message.isDeleted ? ' bubble--deleted' : ''}${tapped ? ' bubble--tapped' : ''}`}
      >
        {message.replyTo && (
          <blockquote className="quote">
            <Reply size={12} aria-hidden />
            <span dir="auto">
              {message.replyTo.isDeleted
                ? 'Unsent message'
                : (message.replyTo.text ??
                  (message.replyTo.found ? `[${message.replyTo.kind ?? 'message'}]` : 'An earlier message'))}
            </span>
          </blockquote>
        )}
        {message.isDeleted ? (
          <p className="bubble__note">Message unsent</p>
        ) : (
          <>
            {message.attachments.map((attachment, i) => (
              <AttachmentBlock key={i} attachment={attachment} direction={message.direction} />
            ))}
            {message.text && (
              <p className="bubble__text" dir="auto">
                <LinkifiedText text={message.text} />
              </p>
            )}
            {message.kind === 'unsupported' && message.attachments.length === 0 && (
              <p className="bubble__note">Instagram did not share this message’s content</p>
            )}
          </>
        )}
        {message.reactions.length > 0 && (
          <span className="reactions" aria-label="Reactions">
            {message.reactions.map((reaction, i) => (
              <span
                key={i}
                className="reaction"
                title={reaction.from === 'customer' ? 'Their reaction' : 'Your reaction'}
              >
                {reaction.emoji}
              </span>
            ))}
          </span>
        )}
      </div>
      <div className="message__meta">
        <time dateTime={message.createdAt} title={formatDateTime(message.createdAt)}>
          {clockTime(message.createdAt)}
        </time>
        {message.edits.length > 0 && !message.isDeleted && (
          <span className="edited" title={`Earlier versions:\n${history}`} tabIndex={0}>
            Edited
          </span>
        )}
        <Origin message={message} />
        {message.delivery && <DeliveryState delivery={message.delivery} onRetry={props.onRetry} />}
      </div>
    </li>
  );
});
