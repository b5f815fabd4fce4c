import { Workflow } from 'lucide-react';
import { EmptyState } from '../components/empty-state';
import { PageHeader } from '../components/page-header';

export function RulesPage() {
  return (
    <>
      <PageHeader title="Rules" description="Automatic answers to the questions each client gets all day." />
      <EmptyState
        icon={Workflow}
        title="No rules yet"
        steps={[
          'Pick a client account.',
          'Write a rule: a keyword, a pattern or an intent, and the reply.',
          'Test it with a sample message before you publish it — no network needed.',
        ]}
      >
        <p>Rules answer common questions by themselves and step aside as soon as a person replies.</p>
      </EmptyState>
    </>
  );
}
