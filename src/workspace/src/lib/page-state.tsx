import type { ReactNode } from 'react';

/** The states every page shows the same way: loading, a failed request, nothing to show. */

export const Loading = ({ children }: { children: ReactNode }) => (
  <p className="muted" aria-busy="true">
    {children}
  </p>
);

/** "Could not {what}: {error}" as an alert; nothing while there is no error. */
export const ErrorAlert = ({ what, error }: { what: string; error: string | null | undefined }) =>
  error ? (
    <p className="error-text" role="alert">
      Could not {what}: {error}
    </p>
  ) : null;

export const EmptyPanel = ({ children }: { children: ReactNode }) => (
  <div className="panel empty-state" role="status">
    {children}
  </div>
);
