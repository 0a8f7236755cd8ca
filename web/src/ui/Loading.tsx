/** A polite loading state; an error state is rendered by ErrorMessage. */
export function Loading({ what = 'Loading' }: { what?: string }) {
  return <p className="loading" role="status">{what}…</p>;
}
