import { useNotices } from '../lib/notifications';

/** The notification stack: errors stay until dismissed (Escape or the close button). */
export function Notifications() {
  const { notices, dismiss } = useNotices();
  return (
    <div className="notices" aria-live="polite">
      {notices.map((n) => (
        <div
          key={n.id}
          className={`notice notice-${n.kind}`}
          role={n.kind === 'error' ? 'alert' : 'status'}
          onKeyDown={(e) => e.key === 'Escape' && dismiss(n.id)}
        >
          <span>{n.text}</span>
          <button type="button" aria-label="Dismiss" onClick={() => dismiss(n.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
