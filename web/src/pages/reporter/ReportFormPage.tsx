import { PageTitle } from '../../ui/PageTitle.tsx';

// Placeholder until this page is built.
export default function ReportFormPage() {
  return <PageTitle>ReportFormPage</PageTitle>;
}
