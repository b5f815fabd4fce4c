/**
 * One account's rules as the Rules screen holds them: the list, conflict warnings and intents (reloaded
 * on `rules.changed`), the notice line, and the list actions (reorder, switch, publish).
 */
import { useEffect, useMemo, useState } from 'react';
import type { RuleView } from '../../../../shared/contract';
import { useClient, useContractQuery, useEvent } from '../../app/client-context';

/** A line shown above the list for a few seconds. */
export interface Notice {
  tone: 'ok' | 'error';
  text: string;
}

const NOTICE_MS = 8000;

export function useAccountRules(accountId: string) {
  const client = useClient();
  const [list, refreshList, replaceList] = useContractQuery('rules.list', { accountId });
  const [conflictsQuery, refreshConflicts] = useContractQuery('rules.conflicts', {
    accountId,
    mode: 'draft',
  });
  const [intentsQuery, refreshIntents] = useContractQuery('rules.getIntents', { accountId });
  useEvent('rules.changed', (payload) => {
    if (payload.accountId !== accountId) return;
    refreshList();
    refreshConflicts();
    refreshIntents();
  });
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);

  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(null), NOTICE_MS);
    return () => clearTimeout(timer);
  }, [notice]);

  const rules = useMemo(() => (list.status === 'ok' ? list.value.rules : []), [list]);
  const conflicts = conflictsQuery.status === 'ok' ? conflictsQuery.value.conflicts : [];
  const settings = intentsQuery.status === 'ok' ? intentsQuery.value : null;
  const intents = useMemo(
    () => (settings ? { list: settings.intents, version: settings.version } : null),
    [settings],
  );

  const afterChange = () => {
    refreshList();
    refreshConflicts();
  };

  const move = async (from: number, to: number) => {
    if (list.status !== 'ok' || to < 0 || to >= rules.length) return;
    const next = [...rules];
    const [moved] = next.splice(from, 1);
    if (!moved) return;
    next.splice(to, 0, moved);
    replaceList({ ...list.value, rules: next });
    setBusy(true);
    const result = await client.call('rules.reorder', {
      accountId,
      order: next.map((r) => ({ id: r.id, expectedVersion: r.version })),
    });
    setBusy(false);
    if (result.ok) {
      replaceList(result.value);
      refreshConflicts();
      return;
    }
    setNotice({
      tone: 'error',
      text:
        result.error.code === 'CONFLICT'
          ? 'Someone else changed these rules meanwhile: the list was reloaded, move the rule again.'
          : result.error.message,
    });
    afterChange();
  };

  const toggle = async (view: RuleView, isActive: boolean) => {
    setBusy(true);
    const result = await client.call('rules.setActive', {
      id: view.id,
      expectedVersion: view.version,
      isActive,
    });
    setBusy(false);
    if (!result.ok)
      setNotice({
        tone: 'error',
        text:
          result.error.code === 'CONFLICT'
            ? `Someone else changed “${view.name}” meanwhile: the list was reloaded, switch it again.`
            : result.error.message,
      });
    afterChange();
  };

  const publish = async () => {
    setBusy(true);
    const result = await client.call('rules.publish', { accountId });
    setBusy(false);
    const count = result.ok ? result.value.published.length : 0;
    setNotice(
      result.ok
        ? {
            tone: 'ok',
            text: `Published ${count} rule${count === 1 ? '' : 's'}: they now answer customers.`,
          }
        : { tone: 'error', text: result.error.message },
    );
    afterChange();
  };

  return {
    list,
    rules,
    conflicts,
    settings,
    intents,
    busy,
    notice,
    setNotice,
    afterChange,
    refreshIntents,
    move,
    toggle,
    publish,
  };
}
