import { Menu, Tray, nativeImage } from 'electron';
import type { Disposable } from '../core/lib/lifecycle';

export interface AppTray extends Disposable {
  /** Shows the number of unread conversations (placeholder until the inbox reports it). */
  setUnreadCount(count: number): void;
}

export function createTray(options: { iconPath: string; onOpen: () => void; onQuit: () => void }): AppTray {
  const tray = new Tray(nativeImage.createFromPath(options.iconPath));
  const render = (unread: number) => {
    tray.setToolTip(unread > 0 ? `Switchboard — ${unread} unread` : 'Switchboard');
    tray.setContextMenu(
      Menu.buildFromTemplate([
        {
          label: unread > 0 ? `Open Switchboard (${unread} unread)` : 'Open Switchboard',
          click: options.onOpen,
        },
        { type: 'separator' },
        { label: 'Quit', click: options.onQuit },
      ]),
    );
  };
  render(0);
  tray.on('click', options.onOpen);
  return {
    setUnreadCount: (count) => render(Math.max(0, Math.floor(count))),
    dispose: () => tray.destroy(),
  };
}
