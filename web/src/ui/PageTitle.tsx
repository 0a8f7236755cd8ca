import { useEffect, type ReactNode } from 'react';

/** The page's one h1, also used as the document title so screen readers and tabs say where you are. */
export function PageTitle({ children, title }: { children: ReactNode; title?: string }) {
  const text = title ?? (typeof children === 'string' ? children : undefined);
  useEffect(() => {
    if (text) document.title = `${text} · Embargo`;
  }, [text]);
  return <h1>{children}</h1>;
}
