import { userInfo } from 'node:os';

/** The operating-system user of this workstation: the actor of audit entries (`fallback` if unreadable). */
export function workstationUser(fallback = 'unknown'): string {
  try {
    return userInfo().username || fallback;
  } catch {
    return fallback;
  }
}
