import { useEffect, useId, useRef, type ReactNode } from 'react';
import './dialog.css';

/**
 * A modal dialog on the native <dialog>: the browser keeps focus inside it and Escape closes it.
 * The element marked data-autofocus gets the focus when it opens; when it closes, focus goes back
 * to what had it before (unless the screen has moved focus somewhere on purpose).
 */
export function Dialog({
  title,
  onClose,
  wide = false,
  testId,
  children,
}: {
  title: string;
  onClose: () => void;
  wide?: boolean;
  testId?: string;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const headingId = useId();
  useEffect(() => {
    const dialog = ref.current;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog && !dialog.open) {
      dialog.showModal();
      dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    }
    return () => {
      if (dialog?.open) dialog.close();
      requestAnimationFrame(() => {
        if ((document.activeElement === document.body || document.activeElement === null) && previous?.isConnected) previous.focus();
      });
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className={wide ? 'ui-dialog ui-dialog--wide' : 'ui-dialog'}
      aria-labelledby={headingId}
      data-testid={testId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id={headingId}>{title}</h2>
      {children}
    </dialog>
  );
}

/** Whether a key press belongs to a field being typed in, so single-key shortcuts leave it alone. */
export function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName));
}
