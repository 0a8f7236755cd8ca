import type { z } from 'zod';

export interface PolicyIssue {
  path: PropertyKey[];
  message: string;
}

/**
 * Zod reports every unknown key of an object in one issue located at the
 * object. A typo is easier to find when the path names the key itself, so
 * such issues are split into one per key.
 */
export function flattenIssues(issues: readonly z.core.$ZodIssue[]): PolicyIssue[] {
  return issues.flatMap((issue): PolicyIssue[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [...issue.path, key], message: `Unknown key "${key}"` }));
    }
    return [{ path: [...issue.path], message: issue.message }];
  });
}
