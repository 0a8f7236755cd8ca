import { PageTitle } from '../../ui/PageTitle.tsx';

// Placeholder until this page is built.
export default function LoginPage() {
  return <PageTitle>LoginPage</PageTitle>;
}
