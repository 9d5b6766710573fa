import { useEffect, useId, useRef, type ReactNode } from 'react';

export interface ConfirmDialogProps {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** Disables the confirm button (e.g. while the count it names is loading, or nothing to do). */
  confirmDisabled?: boolean;
  busy?: boolean;
  onConfirm(): void;
  onCancel(): void;
}

/**
 * A modal confirmation on the native <dialog>: focus moves into it and stays there, Escape
 * cancels, and focus returns to what opened it. Cancel has the focus first, so Enter is harmless.
 */
export function ConfirmDialog(props: ConfirmDialogProps) {
  const { open, title, children, confirmLabel, confirmDisabled, busy, onConfirm, onCancel } = props;
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const bodyId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      className="settings-dialog"
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      onCancel={(e) => {
        e.preventDefault(); // React state closes it
        if (!busy) onCancel();
      }}
    >
      {open && (
        <>
          <h3 id={titleId}>{title}</h3>
          <div id={bodyId}>{children}</div>
          <div className="row settings-dialog-actions">
            <button type="button" autoFocus onClick={onCancel} disabled={busy}>
              Cancel
            </button>
            <button
              type="button"
              className="danger"
              onClick={onConfirm}
              disabled={busy || confirmDisabled}
              aria-busy={busy || undefined}
            >
              {busy ? 'Working…' : confirmLabel}
            </button>
          </div>
        </>
      )}
    </dialog>
  );
}
