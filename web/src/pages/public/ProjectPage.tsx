import { PageTitle } from '../../ui/PageTitle.tsx';

// Placeholder until this page is built.
export default function ProjectPage() {
  return <PageTitle>ProjectPage</PageTitle>;
}
