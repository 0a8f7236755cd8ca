import { Link } from 'react-router';
import { PageTitle } from './PageTitle.tsx';

export function NotFoundPage() {
  return (
    <section>
      <PageTitle>Page not found</PageTitle>
      <p>There is no page at this address. <Link to="/">Go to the list of projects</Link>.</p>
    </section>
  );
}
