import { PageTitle } from '../../ui/PageTitle.tsx';

// Placeholder until this page is built.
export default function MetricsPage() {
  return <PageTitle>MetricsPage</PageTitle>;
}
