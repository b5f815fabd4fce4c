import { Check, Copy } from 'lucide-react';
import { useEffect, useState } from 'react';

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard permission (some browsers, unfocused windows): the old way still works in most of them.
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'visually-hidden';
    document.body.append(area);
    area.select();
    const copied = document.execCommand('copy');
    area.remove();
    return copied;
  }
}

/** Copies a value and says so for a moment ("Copied"); says what to do when the clipboard refuses. */
export function CopyButton(props: { value: string; label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(timer);
  }, [state]);
  return (
    <button
      type="button"
      className={`button button--small copy-button${state === 'copied' ? ' copy-button--copied' : ''}`}
      aria-label={state === 'copied' ? `${props.label} copied` : `Copy ${props.label}`}
      onClick={() => void copyText(props.value).then((copied) => setState(copied ? 'copied' : 'failed'))}
    >
      {state === 'copied' ? <Check size={14} aria-hidden /> : <Copy size={14} aria-hidden />}
      <span aria-live="polite">
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Select and press Ctrl+C' : 'Copy'}
      </span>
    </button>
  );
}
