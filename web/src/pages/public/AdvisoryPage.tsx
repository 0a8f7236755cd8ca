import { PageTitle } from '../../ui/PageTitle.tsx';

// Placeholder until this page is built.
export default function AdvisoryPage() {
  return <PageTitle>AdvisoryPage</PageTitle>;
}
