import { Download, Plus, Send, Upload, UsersRound } from 'lucide-react';
import { useRef } from 'react';
import type { AccountView } from '../../../../shared/contract';
import { useClient } from '../../app/client-context';
import type { Notice } from './use-account-rules';

/** Saves a JSON document through a temporary download link. */
function download(fileName: string, value: unknown): void {
  const blob = new Blob([JSON.stringify(value, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The Rules header's buttons: export, import, copy to another account, publish, new rule. */
export function RulesActions(props: {
  account: AccountView;
  ruleCount: number;
  draftCount: number;
  canCopy: boolean;
  busy: boolean;
  onNotice: (notice: Notice) => void;
  onImport: (file: { fileName: string; document: unknown }) => void;
  onCopy: () => void;
  onPublish: () => void;
  onNew: () => void;
}) {
  const client = useClient();
  const fileInput = useRef<HTMLInputElement>(null);

  const exportRules = async () => {
    const result = await client.call('rules.export', { accountId: props.account.id });
    if (result.ok) download(`rules-${props.account.username}.json`, result.value.document);
    else props.onNotice({ tone: 'error', text: result.error.message });
  };

  const readImport = async (file: File) => {
    try {
      const document: unknown = JSON.parse(await file.text());
      props.onImport({ fileName: file.name, document });
    } catch {
      props.onNotice({
        tone: 'error',
        text: `${file.name} is not a JSON file: export rules from Switchboard first.`,
      });
    }
  };

  return (
    <>
      <button type="button" className="button" onClick={() => void exportRules()}>
        <Download size={16} aria-hidden />
        Export
      </button>
      <button type="button" className="button" onClick={() => fileInput.current?.click()}>
        <Upload size={16} aria-hidden />
        Import
      </button>
      <input
        ref={fileInput}
        type="file"
        accept="application/json,.json"
        className="visually-hidden"
        aria-label="Rules file to import"
        tabIndex={-1}
        onChange={(event) => {
          const file = event.target.files?.[0];
          event.target.value = '';
          if (file) void readImport(file);
        }}
      />
      <button
        type="button"
        className="button"
        disabled={props.ruleCount === 0 || !props.canCopy}
        onClick={props.onCopy}
      >
        <UsersRound size={16} aria-hidden />
        Copy to…
      </button>
      <button
        type="button"
        className="button"
        disabled={props.busy || props.draftCount === 0}
        title={props.draftCount === 0 ? 'Nothing to publish: every rule is published' : undefined}
        onClick={props.onPublish}
      >
        <Send size={16} aria-hidden />
        Publish{props.draftCount > 0 ? ` (${props.draftCount})` : ''}
      </button>
      <button type="button" className="button button--primary" onClick={props.onNew}>
        <Plus size={16} aria-hidden />
        New rule
      </button>
    </>
  );
}
