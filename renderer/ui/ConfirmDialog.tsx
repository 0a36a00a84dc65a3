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
