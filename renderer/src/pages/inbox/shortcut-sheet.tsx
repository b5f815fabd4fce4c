import { Dialog } from '../../components/dialog';

const shortcuts: [string, string][] = [
  ['j / k', 'Next / previous conversation'],
  ['r', 'Reply (focus the composer)'],
  ['e', 'Archive / unarchive'],
  ['u', 'Mark unread'],
  ['/', 'Search'],
  ['Enter', 'Send (Shift+Enter: new line)'],
  ['Esc', 'Leave the composer or search'],
  ['Ctrl+1…5', 'Switch section'],
  ['?', 'This sheet'],
];

/** Every inbox shortcut on one sheet (`?`). */
export function ShortcutSheet(props: { onClose: () => void }) {
  return (
    <Dialog title="Keyboard shortcuts" onClose={props.onClose} closeOnBackdrop>
      <dl className="shortcuts">
        {shortcuts.map(([keys, what]) => (
          <div key={keys} className="shortcuts__row">
            <dt>
              {keys.split(' / ').map((key, i) => (
                <span key={key}>
                  {i > 0 && ' / '}
                  <kbd>{key}</kbd>
                </span>
              ))}
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
    </Dialog>
  );
}
