import { useCallback, useRef, useState, type ReactNode } from 'react';
import { Button, Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import styles from './ConfirmDialog.module.css';

export interface ConfirmDialogProps {
  title: string;
  /** One reason per line: each says what is unusual about what is about to happen. */
  reasons: string[];
  confirmLabel: string;
  cancelLabel: string;
  onConfirm(): void;
  onCancel(): void;
}

/**
 * Asks before something unusual is done, not after: an alert dialog that holds the keyboard until
 * answered. Escape and the cancel button both leave everything as it was; the cancel button has the
 * focus first, so a reflexive Enter does not confirm.
 */
export function ConfirmDialog({ title, reasons, confirmLabel, cancelLabel, onConfirm, onCancel }: ConfirmDialogProps) {
  return (
    <ModalOverlay isOpen isDismissable={false} onOpenChange={(open) => (open ? undefined : onCancel())} className={styles.overlay}>
      <Modal className={styles.modal}>
        <Dialog role="alertdialog" className={styles.dialog} data-testid="confirm-dialog">
          <Heading slot="title" className={styles.title}>
            {title}
          </Heading>
          <ul className={styles.reasons}>
            {reasons.map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
          <div className={styles.actions}>
            <Button className={`${styles.button} ${styles.cancel}`} onPress={onCancel} autoFocus>
              {cancelLabel}
            </Button>
            <Button className={`${styles.button} ${styles.confirm}`} onPress={onConfirm}>
              {confirmLabel}
            </Button>
          </div>
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}

export type Question = Omit<ConfirmDialogProps, 'onConfirm' | 'onCancel'>;

/**
 * Asking first, in place of window.confirm: `ask` shows the dialog and resolves true on a yes.
 * Render `dialog` in the screen. Cancel has the focus; Escape is a no.
 */
export function useConfirm(): { ask(question: Question): Promise<boolean>; dialog: ReactNode } {
  const [question, setQuestion] = useState<Question | null>(null);
  const answer = useRef<((yes: boolean) => void) | null>(null);
  const ask = useCallback(
    (next: Question) =>
      new Promise<boolean>((resolve) => {
        answer.current = resolve;
        setQuestion(next);
      }),
    [],
  );
  const close = (yes: boolean) => {
    answer.current?.(yes);
    answer.current = null;
    setQuestion(null);
  };
  const dialog = question ? <ConfirmDialog {...question} onConfirm={() => close(true)} onCancel={() => close(false)} /> : null;
  return { ask, dialog };
}
