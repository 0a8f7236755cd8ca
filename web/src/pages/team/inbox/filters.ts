/** Inbox filters live in the URL query (shareable, back-button friendly); they map one-to-one onto GET /api/v1/reports. */
export const filterKeys = ['project', 'state', 'severity', 'clockStatus', 'assignee', 'label', 'q', 'sort', 'includeClosed'] as const;
export type FilterKey = (typeof filterKeys)[number];
export type Filters = Partial<Record<FilterKey, string>>;

export function filtersFrom(params: URLSearchParams): Filters {
  const filters: Filters = {};
  for (const key of filterKeys) {
    const value = params.get(key);
    if (value) filters[key] = value;
  }
  return filters;
}

/** The API query for one page; a search shorter than the API's minimum is left out rather than refused. */
export function inboxQuery(filters: Filters, cursor: string | null): string {
  const query = new URLSearchParams();
  for (const key of filterKeys) {
    const value = filters[key]?.trim();
    if (!value || (key === 'q' && value.length < 2)) continue;
    query.set(key, value);
  }
  if (filters.state === 'closed') query.set('includeClosed', 'true');
  if (cursor) query.set('cursor', cursor);
  query.set('limit', '50');
  return query.toString();
}

const VIEWS_KEY = 'embargo.inbox.views';

/** Saved views: named filter sets kept in this browser's localStorage (the API stores no views). */
export function loadViews(): Record<string, Filters> {
  try {
    const parsed = JSON.parse(localStorage.getItem(VIEWS_KEY) ?? '{}') as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, Filters>) : {};
  } catch {
    return {};
  }
}

export function storeViews(views: Record<string, Filters>): void {
  localStorage.setItem(VIEWS_KEY, JSON.stringify(views));
}
