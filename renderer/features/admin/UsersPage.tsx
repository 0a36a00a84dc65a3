import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CreateUserInput, ROLES, type UserListEntry, type UserSummary } from '../../../preload/contract/index';
import { announceSessionChanged } from '../../ui/api';
import { useDesk } from '../../ui/desk';
import { Field, FormError } from '../../ui/Field';
import { formatDateTime } from '../../ui/format';
import { useContractForm } from '../../ui/useContractForm';
import { useChannelMutation, useChannelQuery } from '../../ui/query';
import { useConfirm } from '../../ui/ConfirmDialog';
import { Table, type TableColumn } from '../../ui/Table';
import styles from './admin.module.css';
import { RolesDialog } from './RolesDialog';

type UserColumn = 'name' | 'username' | 'roles' | 'status' | 'lastLogin' | 'actions';
const NO_USERS: UserListEntry[] = [];

export function UsersPage() {
  const { t } = useTranslation();
  const { ask, dialog } = useConfirm();
  const resetPasswordCall = useChannelMutation('users.resetPassword');
  const deactivateCall = useChannelMutation('users.deactivate');
  const createCall = useChannelMutation('users.create');
  // The signed-in admin is not offered to deactivate herself (the main process refuses it as well).
  const { user: me } = useDesk();
  const list = useChannelQuery('users.list', {});
  const users = list.data ?? null;
  // Restored from another installation's backup: these people have no key slot here until an admin resets their password.
  const withoutPassword = (users ?? []).filter((user) => user.needsNewPassword).length;
  const [created, setCreated] = useState<{ name: string; temporaryPassword: string } | null>(null);
  // A reset is confirmed on its own, beside the list, never as "added".
  const [resetFor, setResetFor] = useState<{ name: string; temporaryPassword: string } | null>(null);
  // Below a long list the confirmation would be out of sight: the focus (and the view) goes to it.
  const resetHeading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    const heading = resetHeading.current;
    if (!resetFor || !heading) return;
    heading.focus({ preventScroll: true });
    heading.parentElement?.scrollIntoView({ block: 'nearest' });
  }, [resetFor]);
  const { form, showServerError } = useContractForm(CreateUserInput, { displayName: '', username: '', roles: [] });
  const { register, handleSubmit, formState, reset } = form;

  const load = async () => {
    await list.refetch();
  };

  const [rowError, setRowError] = useState<string | undefined>();
  // A deactivated person may keep a copy of the keyring: the journal key can be changed under Settings.
  const [deactivated, setDeactivated] = useState<string | null>(null);
  // Whose roles the dialog is changing, and the last change made, said in words above the list.
  const [editingRoles, setEditingRoles] = useState<UserListEntry | null>(null);
  const [rolesSaved, setRolesSaved] = useState<{ name: string; roles: string } | null>(null);
  const rolesChanged = async (user: UserSummary) => {
    setEditingRoles(null);
    setRowError(undefined);
    await load();
    setRolesSaved({ name: user.displayName, roles: user.roles.map((role) => t(`roles.${role}`)).join(', ') });
    // Her own roles: the menu follows at once, as the main process already does.
    if (user.id === me.id) announceSessionChanged();
  };
  const resetPassword = async (user: UserSummary) => {
    const result = await resetPasswordCall.run({ userId: user.id });
    if (!result.ok) return setRowError(result.error.message);
    setRowError(undefined);
    // The list first, so the confirmation is brought into view where it finally stays.
    await load();
    setResetFor({ name: result.value.user.displayName, temporaryPassword: result.value.temporaryPassword });
  };
  const deactivate = async (user: UserSummary) => {
    const yes = await ask({
      title: t('users.deactivateTitle', { name: user.displayName }),
      reasons: [t('users.deactivateWhat'), t('users.deactivateKept')],
      confirmLabel: t('users.deactivate'),
      cancelLabel: t('users.cancel'),
    });
    if (!yes) return;
    const result = await deactivateCall.run({ userId: user.id });
    if (!result.ok) return setRowError(result.error.message);
    setRowError(undefined);
    setDeactivated(user.displayName);
    await load();
  };

  const status = (user: UserListEntry) =>
    !user.active
      ? t('users.inactive')
      : user.needsNewPassword
        ? t('users.needsPassword')
        : user.mustChangePassword
          ? t('users.mustChange')
          : t('users.active');
  const columns: TableColumn<UserListEntry, UserColumn>[] = [
    {
      id: 'name',
      label: t('users.name'),
      rowHeader: true,
      sortBy: (user) => user.displayName,
      cell: (user) => (
        <>
          {user.displayName}
          {user.id === me.id ? ` ${t('start.users.you')}` : null}
        </>
      ),
    },
    { id: 'username', label: t('users.username'), sortBy: (user) => user.username, cell: (user) => user.username },
    {
      id: 'roles',
      label: t('users.roles'),
      sortBy: (user) => user.roles.map((role) => t(`roles.${role}`)).join(', '),
      cell: (user) => user.roles.map((role) => t(`roles.${role}`)).join(', '),
    },
    { id: 'status', label: t('users.status'), sortBy: status, cell: status },
    {
      id: 'lastLogin',
      label: t('users.lastLogin'),
      sortBy: (user) => user.lastLoginAt,
      cell: (user) => (user.lastLoginAt ? formatDateTime(user.lastLoginAt) : t('users.never')),
    },
    {
      id: 'actions',
      label: t('users.actions'),
      cell: (user) =>
        // In a box of its own: a flex cell would stop being a table cell.
        user.active ? (
          <div className="row-actions">
            <button
              type="button"
              className="button button--small"
              onClick={() => {
                setRolesSaved(null);
                setEditingRoles(user);
              }}
            >
              {t('users.editRoles')}
            </button>
            <button type="button" className="button button--small" onClick={() => void resetPassword(user)}>
              {t('users.resetPassword')}
            </button>
            {user.id !== me.id ? (
              <button type="button" className="button button--small" onClick={() => void deactivate(user)}>
                {t('users.deactivate')}
              </button>
            ) : null}
          </div>
        ) : null,
    },
  ];

  const submit = handleSubmit(async (values) => {
    const result = await createCall.run(values);
    if (!result.ok) {
      showServerError(result.error);
      return;
    }
    setCreated({ name: result.value.user.displayName, temporaryPassword: result.value.temporaryPassword });
    reset();
    await load();
  });

  return (
    <>
      <h1>{t('users.title')}</h1>
      <p className="lead">{t('users.intro')}</p>
      {withoutPassword > 0 ? (
        // Something to do, not a success: shown as a warning.
        <p className="warning" data-testid="users-without-password">
          {t('users.needsPasswordNotice', { count: withoutPassword })}
        </p>
      ) : null}
      {deactivated ? (
        <p className="warning" data-testid="rekey-offer">
          {t('users.rekeyOffer', { name: deactivated })}
        </p>
      ) : null}
      {rolesSaved ? (
        <p className="notice" role="status" data-testid="roles-saved">
          {t('users.rolesSaved', rolesSaved)}
        </p>
      ) : null}
      <Table
        caption={t('users.listCaption')}
        rows={users ?? NO_USERS}
        columns={columns}
        rowKey={(user) => user.id}
        rowText={(user) => user.displayName}
      />

      <FormError message={rowError} />
      {resetFor ? (
        <section
          className={`panel ${styles.handover} ${styles.confirmation}`}
          role="status"
          aria-labelledby="reset-heading"
          data-testid="password-reset"
        >
          <h2 id="reset-heading" tabIndex={-1} ref={resetHeading}>
            {t('users.resetPassword')}
          </h2>
          <p>{t('start.users.resetDone', { name: resetFor.name })}</p>
          <p className="recovery__label">{t('users.temporaryPassword')}</p>
          <p className="recovery__code" data-testid="temporary-password">
            {resetFor.temporaryPassword}
          </p>
          <p className="warning">{t('start.users.resetHint', { name: resetFor.name })}</p>
          <button type="button" className="button" onClick={() => setResetFor(null)}>
            {t('users.done')}
          </button>
        </section>
      ) : null}
      <section aria-labelledby="add-user-heading" className="panel">
        <h2 id="add-user-heading">{t('users.addTitle')}</h2>
        {created ? (
          <div className={styles.handover} role="status">
            <p>{t('users.created', { name: created.name })}</p>
            <p className="recovery__label">{t('users.temporaryPassword')}</p>
            <p className="recovery__code" data-testid="temporary-password">
              {created.temporaryPassword}
            </p>
            <p className="warning">{t('users.temporaryHint', { name: created.name })}</p>
            <button type="button" className="button" onClick={() => setCreated(null)}>
              {t('users.done')}
            </button>
          </div>
        ) : (
          <form onSubmit={submit} noValidate>
            <Field label={t('users.displayName')} autoComplete="off" error={formState.errors.displayName?.message} {...register('displayName')} />
            <Field
              label={t('users.username')}
              hint={t('setup.usernameHint')}
              autoComplete="off"
              error={formState.errors.username?.message}
              {...register('username')}
            />
            <fieldset
              className={formState.errors.roles ? 'choices field--invalid' : 'choices'}
              aria-describedby={formState.errors.roles ? 'roles-error' : undefined}
            >
              <legend>{t('users.rolesLegend')}</legend>
              {ROLES.map((role) => (
                <div className="check" key={role}>
                  <input id={`role-${role}`} type="checkbox" value={role} {...register('roles')} />
                  <label htmlFor={`role-${role}`}>{t(`roles.${role}`)}</label>
                </div>
              ))}
              {formState.errors.roles ? (
                <p className="field__error" id="roles-error">
                  {t(formState.errors.roles.message ?? 'error.roles.none')}
                </p>
              ) : null}
            </fieldset>
            <FormError message={formState.errors.root?.server?.message} />
            <button type="submit" className="button button--primary" disabled={formState.isSubmitting}>
              {t('users.add')}
            </button>
          </form>
        )}
      </section>
      {editingRoles ? (
        <RolesDialog user={editingRoles} meId={me.id} onSaved={(user) => void rolesChanged(user)} onClose={() => setEditingRoles(null)} />
      ) : null}
      {dialog}
    </>
  );
}
