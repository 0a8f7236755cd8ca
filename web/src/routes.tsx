import { createBrowserRouter } from 'react-router';
import { Layout } from './ui/Layout.tsx';
import { NotFoundPage } from './ui/NotFoundPage.tsx';

/**
 * Every page of the UI. The server answers each of these paths with the same
 * index.html (src/http/routes/web/ui-paths.ts lists them; keep the two in step).
 * Pages are loaded lazily so that the public pages stay small and openpgp.js is
 * only fetched by the pages that encrypt or decrypt.
 */
const page = (load: () => Promise<{ default: React.ComponentType }>) => async () => ({ Component: (await load()).default });

export const router = createBrowserRouter([
  {
    Component: Layout,
    children: [
      // Public and reporter pages
      { path: '/', lazy: page(() => import('./pages/public/HomePage.tsx')) },
      { path: '/setup', lazy: page(() => import('./pages/public/SetupPage.tsx')) },
      { path: '/p/:slug', lazy: page(() => import('./pages/public/ProjectPage.tsx')) },
      { path: '/p/:slug/report', lazy: page(() => import('./pages/reporter/ReportFormPage.tsx')) },
      { path: '/portal', lazy: page(() => import('./pages/reporter/PortalPage.tsx')) },
      { path: '/advisories', lazy: page(() => import('./pages/public/AdvisoriesPage.tsx')) },
      { path: '/advisories/:advisoryId', lazy: page(() => import('./pages/public/AdvisoryPage.tsx')) },
      { path: '/subscriptions/confirm', lazy: page(() => import('./pages/public/SubscriptionLinkPage.tsx')) },
      { path: '/subscriptions/unsubscribe', lazy: page(() => import('./pages/public/SubscriptionLinkPage.tsx')) },
      // Signing in
      { path: '/login', lazy: page(() => import('./pages/team/LoginPage.tsx')) },
      { path: '/invitation', lazy: page(() => import('./pages/team/InvitationPage.tsx')) },
      { path: '/reset-password', lazy: page(() => import('./pages/team/ResetPasswordPage.tsx')) },
      // Team pages
      { path: '/inbox', lazy: page(() => import('./pages/team/InboxPage.tsx')) },
      { path: '/reports/:reportId', lazy: page(() => import('./pages/team/ReportPage.tsx')) },
      { path: '/account', lazy: page(() => import('./pages/team/AccountPage.tsx')) },
      { path: '/projects/new', lazy: page(() => import('./pages/team/NewProjectPage.tsx')) },
      { path: '/projects/:slug/advisories/new', lazy: page(() => import('./pages/team/AdvisoryEditorPage.tsx')) },
      { path: '/projects/:slug/advisories/:advisoryId/edit', lazy: page(() => import('./pages/team/AdvisoryEditorPage.tsx')) },
      { path: '/projects/:slug/metrics', lazy: page(() => import('./pages/team/MetricsPage.tsx')) },
      { path: '/projects/:slug/settings', lazy: page(() => import('./pages/team/ProjectSettingsPage.tsx')) },
      { path: '/admin', lazy: page(() => import('./pages/team/AdminPage.tsx')) },
      { path: '*', Component: NotFoundPage },
    ],
  },
]);
