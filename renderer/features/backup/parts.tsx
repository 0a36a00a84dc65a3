import { useEffect, useState, type ComponentProps } from 'react';
import type { UseFormRegisterReturn } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { isStrongPassphrase, type AppError, type ChannelOutput, type FileChoice } from '../../../preload/contract/index';
import { Field } from '../../ui/Field';
import { formatDateTime } from '../../ui/format';
import { useChannelMutation, useChannelQuery } from '../../ui/query';
import styles from './backup.module.css';

export type Strength = 'empty' | 'short' | 'weak' | 'ok';

/**
 * Whether a passphrase typed for a call should leave the form once it is answered. It does after a
 * success and after any refusal that concerns it (or the whole call); a refusal of the path or another
 * field alone keeps it, so that fixing the path does not mean typing the passphrase twice again.
 */
export function dropsPassphrase(answer: { ok: true } | { ok: false; error: AppError }): boolean {
  if (answer.ok) return true;
  const fields = Object.keys(answer.error.fields ?? {});
  return fields.length === 0 || fields.some((field) => field.startsWith('passphrase'));
}

/** The same rule the main process applies (the contract's), told while typing rather than after a refusal. */
export function passphraseStrength(value: string): Strength {
  if (value === '') return 'empty';
  if ([...value].length < 14) return 'short';
  return isStrongPassphrase(value) ? 'ok' : 'weak';
}

/** The strength of a new passphrase, next to its field; read out politely as it changes. */
export function StrengthHint({ value }: { value: string }) {
  const { t } = useTranslation();
  const strength = passphraseStrength(value);
  return (
    <span aria-live="polite" className={`backup-strength ${styles[`backupStrength_${strength}`] ?? ''}`} data-testid="passphrase-strength">
      {strength === 'short' ? t('backup.strength.short', { count: [...value].length }) : t(`backup.strength.${strength}`)}
    </span>
  );
}

/** A file size in the interface's language (1,2 MB). */
export function useFormatSize(): (bytes: number) => string {
  const { t, i18n } = useTranslation();
  const number = new Intl.NumberFormat(i18n.language === 'en' ? 'en-GB' : 'sv-SE', { maximumFractionDigits: 1 });
  return (bytes) => {
    if (bytes < 1024) return t('backup.size.bytes', { value: number.format(bytes) });
    if (bytes < 1024 ** 2) return t('backup.size.kilobytes', { value: number.format(bytes / 1024) });
    if (bytes < 1024 ** 3) return t('backup.size.megabytes', { value: number.format(bytes / 1024 ** 2) });
    return t('backup.size.gigabytes', { value: number.format(bytes / 1024 ** 3) });
  };
}

interface FactsProps {
  file?: string;
  createdAt?: string;
  appVersion?: string;
  schemaVersion?: number;
  migratedTo?: number;
  counts: Record<string, number>;
  bytes?: number;
  checksum?: string;
}

/** What a backup holds, as the manifest and the check say: never any of its content. */
export function BackupFacts({ file, createdAt, appVersion, schemaVersion, migratedTo, counts, bytes, checksum }: FactsProps) {
  const { t } = useTranslation();
  const formatSize = useFormatSize();
  const tables = Object.entries(counts).sort(([a], [b]) => a.localeCompare(b));
  const rows = tables.reduce((sum, [, count]) => sum + count, 0);
  return (
    <>
      <dl className="facts backup-facts">
        {file !== undefined ? (
          <>
            <dt>{t('backup.summary.file')}</dt>
            <dd className={styles.backupPath}>{file}</dd>
          </>
        ) : null}
        {createdAt !== undefined ? (
          <>
            <dt>{t('backup.summary.createdAt')}</dt>
            <dd>{formatDateTime(createdAt)}</dd>
          </>
        ) : null}
        {appVersion !== undefined ? (
          <>
            <dt>{t('backup.summary.appVersion')}</dt>
            <dd>{appVersion}</dd>
          </>
        ) : null}
        {schemaVersion !== undefined ? (
          <>
            <dt>{t('backup.summary.schemaVersion')}</dt>
            <dd>{schemaVersion}</dd>
          </>
        ) : null}
        {migratedTo !== undefined && migratedTo !== schemaVersion ? (
          <>
            <dt>{t('backup.summary.migratedTo')}</dt>
            <dd>{migratedTo}</dd>
          </>
        ) : null}
        <dt>{t('backup.summary.rows')}</dt>
        <dd>{t('backup.summary.rowsValue', { count: rows, tables: tables.length })}</dd>
        {bytes !== undefined ? (
          <>
            <dt>{t('backup.summary.size')}</dt>
            <dd>{formatSize(bytes)}</dd>
          </>
        ) : null}
        {checksum !== undefined ? (
          <>
            <dt>{t('backup.summary.checksum')}</dt>
            <dd className={styles.backupChecksum}>{checksum}</dd>
          </>
        ) : null}
      </dl>
      <details className={styles.backupTables}>
        <summary>{t('backup.summary.perTable')}</summary>
        <table className={`table ${styles.backupTablesTable}`}>
          <thead>
            <tr>
              <th scope="col">{t('backup.summary.table')}</th>
              <th scope="col" className={styles.backupNum}>
                {t('backup.summary.count')}
              </th>
            </tr>
          </thead>
          <tbody>
            {tables.map(([table, count]) => (
              <tr key={table}>
                <th scope="row">{table}</th>
                <td className={styles.backupNum}>{count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </>
  );
}

/** Whether the system's file dialog exists here (the desktop app): asked once, without opening one. */
export function useFileDialog(): boolean {
  return useChannelQuery('backup.chooseFile', { purpose: 'probe' }).data?.available ?? false;
}

/** "Choose file …": the system's dialog, only where one exists (the desktop app). */
function ChooseButton({
  available,
  purpose,
  onChosen,
}: {
  available: boolean;
  purpose: Exclude<FileChoice, 'probe'>;
  /** `path` goes back to the main process (an opaque token for the dialog's answer); `label` is what the screen shows. */
  onChosen: (path: string, label: string) => void;
}) {
  const { t } = useTranslation();
  // Opens the system's dialog: an action each time, never a cached read.
  const chooseFile = useChannelMutation('backup.chooseFile');
  if (!available) return null;
  const choose = async () => {
    const answer = await chooseFile.run({ purpose });
    if (answer.ok && answer.value.path) onChosen(answer.value.path, answer.value.label ?? answer.value.path);
  };
  return (
    <div className={styles.backupChoose}>
      <button type="button" className="button button--small" onClick={() => void choose()}>
        {purpose === 'backupFolder' ? t('backup.choose.folder') : t('backup.choose.file')}
      </button>
    </div>
  );
}

type FieldProps = ComponentProps<typeof Field>;

/**
 * A backup path. Where the system's dialog exists (the desktop app) the path comes only from it: the
 * field shows the chosen path, read-only, and the form holds the main process's token for it (the main
 * process refuses a typed path there). Elsewhere (the browser harness) the path is typed, never
 * autocompleted or spell-checked.
 */
export function PathField({
  fileDialog,
  purpose,
  onChosen,
  initialLabel = '',
  ...field
}: FieldProps & { fileDialog: boolean; purpose: Exclude<FileChoice, 'probe'>; onChosen: (path: string) => void; initialLabel?: string }) {
  const { t } = useTranslation();
  const [label, setLabel] = useState(initialLabel);
  useEffect(() => setLabel(initialLabel), [initialLabel]);
  if (!fileDialog) return <Field autoComplete="off" spellCheck={false} {...field} />;
  const { name, onChange, onBlur, ref, id, label: fieldLabel, hint, error } = field as FieldProps & { ref?: UseFormRegisterReturn['ref'] };
  return (
    <>
      <input type="hidden" name={name} ref={ref} onChange={onChange} onBlur={onBlur} />
      <Field id={id} label={fieldLabel} hint={hint} error={error} readOnly value={label} placeholder={t('backup.choose.nothing')} />
      <ChooseButton
        available
        purpose={purpose}
        onChosen={(path, shown) => {
          setLabel(shown);
          onChosen(path);
        }}
      />
    </>
  );
}

/** Who made a backup, and the admins it brings with what each is here: shown before any restore is confirmed. */
export function BackupOrigin({ verification }: { verification: ChannelOutput<'backup.verify'> }) {
  const { t } = useTranslation();
  const here = verification.origin === 'thisInstallation';
  return (
    <div className="backup-origin" data-testid="backup-origin">
      <p className={here ? undefined : 'warning'}>{here ? t('backup.origin.here') : t('backup.origin.elsewhere')}</p>
      <h3 className={styles.backupOriginHeading}>{t('backup.origin.adminsTitle')}</h3>
      {verification.admins.length === 0 ? (
        <p>{t('backup.origin.noAdmins')}</p>
      ) : (
        <ul className={styles.backupOriginAdmins} data-testid="backup-admins">
          {verification.admins.map((admin) => (
            <li key={admin.username} className={admin.here === 'admin' ? undefined : 'warning'}>
              {t('backup.origin.admin', { name: admin.displayName, username: admin.username })} {t(`backup.origin.here_${admin.here}`)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A passphrase field: hidden as typed and never offered to the browser's autofill. */
export function PassphraseField(field: FieldProps) {
  return <Field type="password" autoComplete="off" {...field} />;
}

/** An existing backup and its passphrase, asked for alike by the check and the restore. */
export function BackupFileFields({
  name,
  fileDialog,
  path,
  passphrase,
  errors,
  onChosen,
}: {
  name: 'verify' | 'restore';
  fileDialog: boolean;
  path: UseFormRegisterReturn;
  passphrase: UseFormRegisterReturn;
  errors: { path?: string | undefined; passphrase?: string | undefined };
  onChosen: (path: string) => void;
}) {
  const { t } = useTranslation();
  return (
    <>
      <PathField
        id={`backup-${name}-path`}
        label={t(`backup.${name}.path`)}
        error={errors.path}
        fileDialog={fileDialog}
        purpose="existingBackup"
        onChosen={onChosen}
        {...path}
      />
      <div className="grid">
        <PassphraseField id={`backup-${name}-passphrase`} label={t(`backup.${name}.passphrase`)} error={errors.passphrase} {...passphrase} />
      </div>
    </>
  );
}
