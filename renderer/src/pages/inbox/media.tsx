import { ImageOff } from 'lucide-react';
import { useState } from 'react';
import { Dialog } from '../../components/dialog';

/**
 * An image or video from Meta's CDN. The URLs expire (stories after 24 hours, others later): a
 * failed load shows a placeholder that says so, never a broken image. Images enlarge on click.
 */
export function Media(props: { url: string; video?: boolean; expiredLabel?: string; alt: string }) {
  const [failed, setFailed] = useState(false);
  const [large, setLarge] = useState(false);
  if (failed) {
    return (
      <div className="media media--expired" role="img" aria-label={props.expiredLabel ?? 'Media expired'}>
        <ImageOff size={18} aria-hidden />
        <span>{props.expiredLabel ?? 'Media expired'}</span>
      </div>
    );
  }
  if (props.video) {
    return (
      <video className="media" src={props.url} controls preload="metadata" onError={() => setFailed(true)}>
        <track kind="captions" />
      </video>
    );
  }
  return (
    <>
      <button type="button" className="media-button" onClick={() => setLarge(true)} title="Click to enlarge">
        <img
          className="media"
          src={props.url}
          alt={props.alt}
          loading="lazy"
          onError={() => setFailed(true)}
        />
      </button>
      {large && (
        <Dialog title={props.alt} onClose={() => setLarge(false)} closeOnBackdrop className="lightbox">
          <img className="lightbox__image" src={props.url} alt={props.alt} onError={() => setFailed(true)} />
        </Dialog>
      )}
    </>
  );
}
