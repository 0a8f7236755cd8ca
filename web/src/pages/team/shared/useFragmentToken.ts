import { useState } from 'react';
import { takeFragmentToken } from '../../../api/client.ts';

let kept: { path: string; token: string } | null = null;

/**
 * The one-time token from `#token=…`, read once and removed from the address
 * bar. Kept in memory for this path so a second render (React's StrictMode
 * runs initialisers twice) still finds it after the fragment is gone.
 */
export function useFragmentToken(): string | null {
  const [token] = useState(() => {
    const taken = takeFragmentToken();
    if (taken) kept = { path: window.location.pathname, token: taken };
    return taken ?? (kept?.path === window.location.pathname ? kept.token : null);
  });
  return token;
}
