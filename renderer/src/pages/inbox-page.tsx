import { MessagesSquare } from 'lucide-react';
import { EmptyState } from '../components/empty-state';
import { PageHeader } from '../components/page-header';

export function InboxPage() {
  return (
    <>
      <PageHeader title="Inbox" description="Every client's Instagram DMs in one list, newest first." />
      <EmptyState
        icon={MessagesSquare}
        title="No conversations yet"
        steps={[
          'Add a client’s Instagram account under Accounts.',
          'Paste its callback URL and verify token into Meta’s dashboard.',
          'New DMs arrive here live, grouped by client, with the reply window for each.',
        ]}
      >
        <p>Once an account is connected, its DMs appear here the moment Instagram delivers them.</p>
      </EmptyState>
    </>
  );
}
