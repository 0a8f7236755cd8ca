import { z } from 'zod';

/**
 * Loose on purpose: an unknown TLP directory (amber, red, anything) or file
 * must answer 404 like any missing file, not 400, so the service decides.
 * The bounds only keep junk out of logs and lookups.
 */
const segment = z.string().min(1).max(200);

export const keyParams = z.object({ file: segment });
export const tlpParams = z.object({ tlp: segment });
export const feedParams = z.object({ tlp: segment, feed: segment });
export const documentParams = z.object({ tlp: segment, year: segment, file: segment });
