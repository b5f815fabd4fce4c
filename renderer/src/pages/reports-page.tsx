import { ChartColumn } from 'lucide-react';
import { EmptyState } from '../components/empty-state';
import { PageHeader } from '../components/page-header';

export function ReportsPage() {
  return (
    <>
      <PageHeader title="Reports" description="Messages, response times and rule performance per client." />
      <EmptyState icon={ChartColumn} title="Nothing to report yet">
        <p>
          Reports fill in as messages arrive: volume in and out, the share answered automatically, first
          response times and the conversations whose reply window closed without an answer.
        </p>
      </EmptyState>
    </>
  );
}
