import { PageTitle } from '../../ui/PageTitle.tsx';

// Placeholder until this page is built.
export default function AdminPage() {
  return <PageTitle>AdminPage</PageTitle>;
}
