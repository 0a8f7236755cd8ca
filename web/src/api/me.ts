import { useQuery } from '@tanstack/react-query';
import { api, ApiError } from './client.ts';

export interface Me {
  id: string;
  email: string;
  displayName: string | null;
  role: 'owner' | 'admin' | 'member';
  mfaEnabled: boolean;
  mfaRequired: boolean;
  via: string;
}

/** The signed-in team member, or null for visitors and reporters. */
export function useMe() {
  return useQuery({
    queryKey: ['me'],
    queryFn: async () => {
      try {
        return await api<Me>('/api/v1/me');
      } catch (error) {
        if (error instanceof ApiError && (error.status === 401 || error.status === 403 || error.code === 'setup_required')) return null;
        throw error;
      }
    },
    staleTime: 60_000,
  });
}
