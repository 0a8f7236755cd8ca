export const CANARY = 'CANARY-7f3a9b-remote-code-execution-in-upload-handler';

/** A complete report for the example policies, with a canary string that must never appear in clear in the database. */
export const validReport = {
  title: 'Path traversal in file download',
  description: `The download endpoint joins user input into a path. ${CANARY}`,
  steps_to_reproduce: '1. GET /download?file=../../etc/passwd',
  impact: 'Read any file the server can read',
  affected_versions: { text: '1.2 and later', versions: [{ version: '1.4.0' }] },
  contact: { email: 'researcher@example.net' },
  credit: { mode: 'named' as const, name: 'Ada Researcher' },
};
