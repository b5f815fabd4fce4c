import { UsersRound } from 'lucide-react';
import { EmptyState } from '../components/empty-state';
import { PageHeader } from '../components/page-header';

export function AccountsPage() {
  return (
    <>
      <PageHeader
        title="Accounts"
        description="Your clients' Instagram professional accounts and their connection health."
      />
      <EmptyState
        icon={UsersRound}
        title="No client accounts yet"
        steps={[
          'Have the client’s Instagram account id, access token and app secret ready.',
          'Add the account here; the token and secret are encrypted with a key kept in your system keychain.',
          'Test the connection, then copy the callback URL into Meta’s dashboard.',
        ]}
      >
        <p>Each account keeps its own rules, reply window and sending budget.</p>
      </EmptyState>
    </>
  );
}
