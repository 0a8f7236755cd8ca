/**
 * The paths of the web UI's pages (web/src/routes.tsx), answered with the
 * built index.html. Listed rather than caught by a wildcard so that an unknown
 * path still gets the API's coded 404 and no route shadows an API or document
 * route.
 */
export const uiPaths = [
  '/',
  '/setup',
  '/p/:slug',
  '/p/:slug/report',
  '/portal',
  '/advisories',
  '/advisories/:advisoryId',
  '/subscriptions/confirm',
  '/subscriptions/unsubscribe',
  '/login',
  '/invitation',
  '/reset-password',
  '/inbox',
  '/reports/:reportId',
  '/account',
  '/projects/new',
  '/projects/:slug/advisories/new',
  '/projects/:slug/advisories/:advisoryId/edit',
  '/projects/:slug/metrics',
  '/projects/:slug/settings',
  '/admin',
] as const;
