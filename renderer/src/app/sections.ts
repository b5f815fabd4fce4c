import { ChartColumn, Inbox, type LucideIcon, Settings, UsersRound, Workflow } from 'lucide-react';

export interface Section {
  path: string;
  label: string;
  icon: LucideIcon;
  /** The digit used with Ctrl (⌘ on macOS) to jump here. */
  shortcut: string;
}

export const sections: readonly Section[] = [
  { path: '/inbox', label: 'Inbox', icon: Inbox, shortcut: '1' },
  { path: '/rules', label: 'Rules', icon: Workflow, shortcut: '2' },
  { path: '/accounts', label: 'Accounts', icon: UsersRound, shortcut: '3' },
  { path: '/reports', label: 'Reports', icon: ChartColumn, shortcut: '4' },
  { path: '/settings', label: 'Settings', icon: Settings, shortcut: '5' },
];
