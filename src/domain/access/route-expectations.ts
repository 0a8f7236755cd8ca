/**
 * Who may call each route, written out by hand and kept beside the policy:
 * the authorization matrix test (src/http/access-matrix.test.ts) checks every
 * registered route against this table for each kind of principal, and fails
 * for a route that is missing here. Change it only together with the policy.
 */
export const matrixPrincipals = [
  'anonymous',
  'member',
  'viewer',
  'triager',
  'projectAdmin',
  'otherProjectAdmin',
  'orgAdmin',
  'owner',
  'tokenWithScope',
  'tokenWithoutScope',
  'reporterOwn',
  'reporterOther',
] as const;
export type MatrixPrincipal = (typeof matrixPrincipals)[number];

const everyone = matrixPrincipals;
const people: MatrixPrincipal[] = ['member', 'viewer', 'triager', 'projectAdmin', 'otherProjectAdmin', 'orgAdmin', 'owner'];
const signedIn: MatrixPrincipal[] = [...people, 'tokenWithScope', 'tokenWithoutScope'];
/** Follow-up tokens: the portal names no report, so the other report's token is as good as its own there. */
const reporters: MatrixPrincipal[] = ['reporterOwn', 'reporterOther'];
const organisationAdmins: MatrixPrincipal[] = ['orgAdmin', 'owner', 'tokenWithScope'];
const projectTeam: MatrixPrincipal[] = ['viewer', 'triager', 'projectAdmin', ...organisationAdmins];
const projectAdmins: MatrixPrincipal[] = ['projectAdmin', ...organisationAdmins];
const projectWriters: MatrixPrincipal[] = ['triager', 'projectAdmin', ...organisationAdmins];

/**
 * Keys are `METHOD /url` as registered. The project in `:slug` is the one viewer, triager and
 * projectAdmin belong to; `:reportId` is a report of that project, submitted by reporterOwn.
 */
export const routeExpectations: Record<string, readonly MatrixPrincipal[]> = {
  'GET /healthz': everyone,
  'GET /readyz': everyone,
  'GET /setup': everyone,
  'GET /setup/setup.js': everyone,
  'GET /setup/setup.css': everyone,
  'GET /api/v1/setup': everyone,
  'POST /api/v1/setup': everyone,
  'POST /api/v1/auth/login': everyone,
  'POST /api/v1/auth/login/mfa': everyone,
  'POST /api/v1/auth/refresh': everyone,
  'POST /api/v1/auth/password-reset': everyone,
  'POST /api/v1/auth/password-reset/confirm': everyone,
  'POST /api/v1/invitations/accept': everyone,
  'GET /.well-known/security.txt': everyone,
  'GET /.well-known/csaf/provider-metadata.json': everyone,
  'GET /.well-known/csaf/openpgp/:file': everyone,
  'GET /.well-known/csaf/:tlp/index.txt': everyone,
  'GET /.well-known/csaf/:tlp/changes.csv': everyone,
  'GET /.well-known/csaf/:tlp/:feed': everyone,
  'GET /.well-known/csaf/:tlp/:year/:file': everyone,
  'GET /p/:slug/security.txt': everyone,
  'GET /p/:slug/SECURITY.md': everyone,
  'GET /api/v1/projects': everyone,
  'GET /api/v1/projects/:slug': everyone,
  'GET /api/v1/projects/:slug/policy.yaml': everyone,
  'POST /api/v1/subscriptions': everyone,
  'GET /api/v1/subscriptions/confirm': everyone,
  'GET /api/v1/subscriptions/unsubscribe': everyone,
  'POST /api/v1/subscriptions/unsubscribe': everyone,

  'GET /api/v1/me': signedIn,
  'GET /api/v1/account/sessions': signedIn,
  'DELETE /api/v1/account/sessions/:id': people,
  'POST /api/v1/auth/logout': people,
  'POST /api/v1/auth/logout-everywhere': people,
  'POST /api/v1/account/password': people,
  'POST /api/v1/account/email': people,
  'POST /api/v1/account/mfa/totp': people,
  'POST /api/v1/account/mfa/totp/confirm': people,
  'POST /api/v1/account/mfa/totp/disable': people,
  'POST /api/v1/account/mfa/recovery-codes': people,
  'GET /api/v1/account/tokens': people,
  'POST /api/v1/account/tokens': people,
  'DELETE /api/v1/account/tokens/:id': people,
  'GET /api/v1/account/notification-preferences': people,
  'PUT /api/v1/account/notification-preferences': people,

  'GET /api/v1/organisation': [...people, 'tokenWithScope'],
  'PATCH /api/v1/organisation': ['owner'],
  'GET /api/v1/users': organisationAdmins,
  'PATCH /api/v1/users/:id': organisationAdmins,
  'POST /api/v1/users/:id/sessions/end': organisationAdmins,
  'GET /api/v1/invitations': organisationAdmins,
  'POST /api/v1/invitations': organisationAdmins,
  'DELETE /api/v1/invitations/:id': organisationAdmins,
  'GET /api/v1/audit': organisationAdmins,
  'GET /api/v1/audit/verify': organisationAdmins,

  'POST /api/v1/projects': organisationAdmins,
  'PUT /api/v1/projects/:slug/policy': projectAdmins,
  'GET /api/v1/projects/:slug/policy/revisions': projectTeam,
  'GET /api/v1/projects/:slug/members': projectTeam,
  'PUT /api/v1/projects/:slug/members/:userId': projectAdmins,
  'DELETE /api/v1/projects/:slug/members/:userId': projectAdmins,
  'POST /api/v1/projects/:slug/intake-key': projectAdmins,
  'PUT /api/v1/projects/:slug/intake-key': projectAdmins,
  'DELETE /api/v1/projects/:slug/intake-key/private': projectAdmins,
  'GET /p/:slug/pgp-key.txt': everyone,
  'POST /api/v1/projects/:slug/webhooks': projectAdmins,
  'GET /api/v1/projects/:slug/webhooks': projectAdmins,
  'PATCH /api/v1/projects/:slug/webhooks/:webhookId': projectAdmins,
  'DELETE /api/v1/projects/:slug/webhooks/:webhookId': projectAdmins,
  'GET /api/v1/projects/:slug/webhooks/:webhookId/deliveries': projectAdmins,
  'POST /api/v1/projects/:slug/webhooks/:webhookId/deliveries/:deliveryId/redeliver': projectAdmins,

  'POST /api/v1/projects/:slug/reports': everyone,
  'GET /api/v1/portal/report': reporters,
  'POST /api/v1/portal/messages': reporters,
  'PUT /api/v1/portal/credit': reporters,
  'POST /api/v1/portal/token/rotate': reporters,
  'POST /api/v1/portal/attachments': reporters,
  'GET /api/v1/portal/attachments/:attachmentId': reporters,
  'GET /api/v1/projects/:slug/reports': projectTeam,
  'GET /api/v1/reports/:reportId': projectTeam,
  'POST /api/v1/reports/:reportId/messages': projectWriters,
  'POST /api/v1/reports/:reportId/spam': projectWriters,
  'POST /api/v1/reports/:reportId/reporter-access/revoke': projectWriters,

  'GET /api/v1/reports': [...people, 'tokenWithScope'],
  'GET /api/v1/projects/:slug/metrics': projectTeam,
  'GET /p/:slug/response-statistics.json': everyone,
  'POST /api/v1/reports/:reportId/actions': projectWriters,
  'PATCH /api/v1/reports/:reportId/assessment': projectWriters,
  'GET /api/v1/reports/:reportId/clocks': projectTeam,
  'GET /api/v1/reports/:reportId/similar': projectTeam,
  'POST /api/v1/reports/:reportId/move': projectWriters,
  'POST /api/v1/reports/:reportId/convert-to-public-issue': projectWriters,
  'GET /api/v1/reports/:reportId/disclosure': projectTeam,
  'POST /api/v1/reports/:reportId/disclosure/proposals': projectWriters,
  'POST /api/v1/reports/:reportId/disclosure/proposals/:proposalId/answer': projectWriters,
  'GET /api/v1/portal/disclosure': reporters,
  'POST /api/v1/portal/disclosure/proposals': reporters,
  'POST /api/v1/portal/disclosure/proposals/:proposalId/answer': reporters,
  'POST /api/v1/portal/info-provided': reporters,
  'POST /api/v1/reports/:reportId/attachments': projectWriters,
  'GET /api/v1/reports/:reportId/attachments/:attachmentId': projectTeam,

  // `:advisoryId` is a draft of that project. tokenWithoutScope's one scope is advisories:read, so it reads drafts and nothing more.
  'POST /api/v1/projects/:slug/advisories': projectWriters,
  'GET /api/v1/projects/:slug/advisories/drafts': [...projectTeam, 'tokenWithoutScope'],
  'GET /api/v1/advisories/:advisoryId': [...projectTeam, 'tokenWithoutScope'],
  'PATCH /api/v1/advisories/:advisoryId': projectWriters,
  'POST /api/v1/advisories/:advisoryId/schedule': projectAdmins,
  'POST /api/v1/advisories/:advisoryId/unschedule': projectAdmins,
  'POST /api/v1/advisories/:advisoryId/publish': projectAdmins,
  'POST /api/v1/advisories/:advisoryId/withdraw': projectAdmins,
  // Public reads serve published and withdrawn advisories only; a draft answers 404 to everyone there.
  'GET /api/v1/advisories': everyone,
  'GET /api/v1/projects/:slug/advisories': everyone,
  'GET /api/v1/projects/:slug/advisories/:advisoryId': everyone,
  'GET /api/v1/acknowledgements': everyone,
  'GET /p/:slug/acknowledgements.json': everyone,
  'GET /p/:slug/advisories/:advisoryId.osv.json': everyone,
  'GET /p/:slug/advisories/all.zip': everyone,
  'GET /advisories.atom': everyone,
  'GET /p/:slug/advisories.atom': everyone,
};
