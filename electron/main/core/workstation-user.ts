import { userInfo } from 'node:os';

/** The operating-system user of this workstation: the actor of audit entries ("unknown" if unreadable). */
export function workstationUser(): string {
  try {
    return userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}
