import type { MouseEvent, ReactNode } from 'react';
import { useSession } from './session';

/** A real link (open in a new tab works) that navigates in place on a plain click. */
export function AppLink({
  href,
  current,
  className,
  children,
}: {
  href: string;
  current?: boolean;
  className?: string;
  children: ReactNode;
}) {
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    useSession.getState().navigate(href);
  };
  return (
    <a href={href} onClick={onClick} className={className} aria-current={current ? 'page' : undefined}>
      {children}
    </a>
  );
}
