import { useTranslation } from 'react-i18next';
import { contract, type AppError, type JournalEntryView } from '../../../preload/contract/index';
import { Field, FormError, TextAreaField } from '../../ui/Field';
import { formatDateTime } from '../../ui/format';
import { useContractForm } from '../../ui/useContractForm';
import { Dialog } from '../../ui/Dialog';
import { useChannelMutation } from '../../ui/query';
import styles from './journal.module.css';

const SignForm = contract['journal.sign'].input.pick({ password: true });
const AmendForm = contract['journal.amend'].input.pick({ reason: true, body: true, password: true });

/** A wrong password is said in the words of signing, next to the password field; anything else above the buttons. */
function signingError(error: AppError): AppError {
  // A refusal to try again yet keeps its own words (how long to wait).
  if (error.code === 'TOO_MANY_ATTEMPTS') return error;
  if (error.fields?.password) return { ...error, fields: { password: 'journal.sign.wrong' } };
  const { fields: _fields, ...rest } = error;
  return rest;
}

/** Signing re-asks for the password: the signature must be the person's own. */
export function SignDialog({
  entry,
  onSigned,
  onClose,
}: {
  entry: JournalEntryView;
  onSigned: (entry: JournalEntryView) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { form, showServerError } = useContractForm(SignForm, { password: '' });
  const sign = useChannelMutation('journal.sign');
  const { register, handleSubmit, formState, resetField } = form;
  const submit = handleSubmit(async ({ password }) => {
    const result = await sign.run({ entryId: entry.id, password });
    if (result.ok) {
      onSigned(result.value);
      return;
    }
    resetField('password');
    showServerError(signingError(result.error));
  });
  return (
    <Dialog title={t('journal.sign.title', { kind: t(`journal.kinds.${entry.kind}`).toLowerCase() })} onClose={onClose}>
      <p>{t('journal.sign.lead')}</p>
      <form onSubmit={submit} noValidate>
        <Field
          label={t('journal.sign.password')}
          hint={t('journal.sign.passwordHint')}
          type="password"
          autoComplete="current-password"
          data-autofocus
          error={formState.errors.password?.message}
          {...register('password')}
        />
        <FormError message={formState.errors.root?.server?.message} />
        <div className="actions">
          <button type="submit" className="button button--primary" disabled={formState.isSubmitting}>
            {formState.isSubmitting ? t('journal.sign.working') : t('journal.sign.submit')}
          </button>
          <button type="button" className="button" onClick={onClose}>
            {t('journal.sign.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** A correction of a signed entry: a new signed entry with a reason; the original stays as it was. */
export function AmendDialog({
  entry,
  onAmended,
  onClose,
}: {
  entry: JournalEntryView;
  onAmended: (entry: JournalEntryView) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { form, showServerError } = useContractForm(AmendForm, { reason: '', body: entry.body, password: '' });
  const amend = useChannelMutation('journal.amend');
  const { register, handleSubmit, formState, resetField } = form;
  const errors = formState.errors;
  const submit = handleSubmit(async (values) => {
    const result = await amend.run({ entryId: entry.id, ...values });
    if (result.ok) {
      onAmended(result.value);
      return;
    }
    resetField('password');
    const fields = result.error.fields ?? {};
    // Reason and text errors from the main process land next to their fields, as the password does.
    if (fields.reason || fields.body) showServerError(result.error);
    else showServerError(signingError(result.error));
  });
  const at = formatDateTime(entry.signedAt ?? entry.createdAt);
  return (
    <Dialog title={t('journal.amend.title', { kind: t(`journal.kinds.${entry.kind}`).toLowerCase(), at })} onClose={onClose} wide>
      <p>{t('journal.amend.lead')}</p>
      <details className={styles.journalOriginal}>
        <summary>{t('journal.amend.original')}</summary>
        <div className={styles.journalEntryBody}>{entry.body}</div>
      </details>
      <form onSubmit={submit} noValidate>
        <Field
          label={t('journal.amend.reason')}
          hint={t('journal.amend.reasonHint')}
          autoComplete="off"
          data-autofocus
          error={errors.reason?.message}
          {...register('reason')}
        />
        <TextAreaField
          label={t('journal.amend.body')}
          hint={t('journal.amend.bodyHint')}
          rows={12}
          className={styles.journalTextarea}
          error={errors.body?.message}
          {...register('body')}
        />
        <Field
          label={t('journal.sign.password')}
          hint={t('journal.sign.passwordHint')}
          type="password"
          autoComplete="current-password"
          error={errors.password?.message}
          {...register('password')}
        />
        <FormError message={errors.root?.server?.message} />
        <div className="actions">
          <button type="submit" className="button button--primary" disabled={formState.isSubmitting}>
            {formState.isSubmitting ? t('journal.sign.working') : t('journal.amend.submit')}
          </button>
          <button type="button" className="button" onClick={onClose}>
            {t('journal.sign.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
