import { Bell, X } from 'lucide-react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import type { DesktopNotification } from '../../../shared/contract';
import { useEvent } from './client-context';

const VISIBLE = 3;
const LINGER_MS = 8000;

interface Toast extends DesktopNotification {
  key: number;
}

/**
 * New-message announcements in a browser (headless mode): the core's `desktop.notify`, already filtered by
 * the preferences, shown as toasts in the corner. In-app rather than the Web Notifications API: no
 * permission prompt, works in every browser and over a plain-http loopback address, and it disappears with
 * the tab. A toast for the conversation already open is not shown; clicking one opens its conversation.
 */
export function NotificationToasts() {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(0);
  const navigate = useNavigate();
  const location = useLocation();
  const timers = useRef(new Map<number, ReturnType<typeof setTimeout>>());

  const dismiss = useCallback((key: number) => {
    clearTimeout(timers.current.get(key));
    timers.current.delete(key);
    setToasts((list) => list.filter((toast) => toast.key !== key));
  }, []);
  const linger = useCallback(
    (key: number) => {
      clearTimeout(timers.current.get(key));
      timers.current.set(
        key,
        setTimeout(() => dismiss(key), LINGER_MS),
      );
    },
    [dismiss],
  );
  const hold = (key: number) => {
    clearTimeout(timers.current.get(key));
    timers.current.delete(key);
  };

  useEvent('desktop.notify', (notification) => {
    const open = location.pathname === `/inbox/${notification.conversationId}`;
    if (open && document.visibilityState === 'visible') return;
    next.current += 1;
    const key = next.current;
    setToasts((list) => [
      ...list.filter((toast) => toast.conversationId !== notification.conversationId).slice(-(VISIBLE - 1)),
      { ...notification, key },
    ]);
    linger(key);
  });

  useEffect(() => {
    const pending = timers.current;
    return () => pending.forEach((timer) => clearTimeout(timer));
  }, []);

  return (
    <section className="message-toasts" aria-label="New messages" aria-live="polite">
      {toasts.map((toast) => (
        <div
          key={toast.key}
          className="message-toast"
          data-private={toast.private ? 'true' : 'false'}
          onMouseEnter={() => hold(toast.key)}
          onMouseLeave={() => linger(toast.key)}
          onFocus={() => hold(toast.key)}
          onBlur={() => linger(toast.key)}
        >
          <button
            type="button"
            className="message-toast__main"
            onClick={() => {
              dismiss(toast.key);
              void navigate(`/inbox/${toast.conversationId}`);
            }}
          >
            <span className="message-toast__icon" aria-hidden>
              <Bell size={15} />
            </span>
            <span className="message-toast__text">
              <span className="message-toast__title">{toast.title}</span>
              <span className="message-toast__body">{toast.body}</span>
            </span>
          </button>
          <button
            type="button"
            className="message-toast__close"
            aria-label="Dismiss"
            onClick={() => dismiss(toast.key)}
          >
            <X size={14} aria-hidden />
          </button>
        </div>
      ))}
    </section>
  );
}
