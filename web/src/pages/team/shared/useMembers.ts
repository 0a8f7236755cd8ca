import { useQueries } from '@tanstack/react-query';
import { api } from '../../../api/client.ts';
import type { Member } from './types.ts';

/** Members of each project (for assignee names); a project the caller cannot list simply contributes none. */
export function useMembersOf(slugs: string[]): Map<string, Member> {
  const results = useQueries({
    queries: [...new Set(slugs)].sort().map((slug) => ({
      queryKey: ['members', slug],
      queryFn: () => api<{ members: Member[] }>(`/api/v1/projects/${encodeURIComponent(slug)}/members`),
      staleTime: 300_000,
      retry: false,
    })),
  });
  const byId = new Map<string, Member>();
  for (const result of results) for (const member of result.data?.members ?? []) byId.set(member.userId, member);
  return byId;
}
