/** Session, users, settings and the workstation's preferences. */
import { z } from 'zod';
import { Empty, Id, LANGUAGES, Role, channel } from './common.js';

// ---- Shared field schemas -------------------------------------------------------------

export const Username = z
  .string()
  .trim()
  .min(2)
  .max(40)
  .regex(/^[\p{L}\p{N}._-]+$/u, { message: 'error.username.characters' });

export const DisplayName = z.string().trim().min(2).max(80);

/** Passwords guard the whole journal: long enough to resist guessing even with Argon2id slowing each try. */
export const NewPassword = z
  .string()
  .min(12, { message: 'error.password.tooShort' })
  .max(256)
  .refine((value) => new Set(value).size >= 5, { message: 'error.password.tooSimple' });

export const Password = z.string().min(1).max(256);

export const RecoveryCode = z.string().trim().min(20).max(64);

export const IdleLockMinutes = z.number().int().min(1).max(240);

export const SessionUser = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(Role),
  mustChangePassword: z.boolean(),
});
export type SessionUser = z.infer<typeof SessionUser>;

export const AppStatus = z.object({
  /**
   * 'setup' before the first admin exists, 'locked' when no one is signed in, 'unlocked' otherwise;
   * 'missing' when the key file is there but the journal file is not (moved or deleted): never a first run.
   */
  state: z.enum(['setup', 'locked', 'unlocked', 'missing']),
  user: SessionUser.nullable(),
  /** Who locked the screen, so the lock screen can offer their name; null after a sign-out. */
  lockedBy: z.object({ username: z.string(), displayName: z.string() }).nullable(),
  idleLockMinutes: z.number().int().nullable(),
  /** Only in the 'missing' state: the data folder, so that the screen can say where journal.db belongs. */
  dataDir: z.string().optional(),
  /** Admins only: the access log did not reach the head kept outside the journal at an unlock (rows removed, an older copy put back). */
  logHeadProblem: z.boolean().optional(),
  /**
   * Server mode, set by the workstation (never by the server): the server no longer knows this desk's
   * session (it restarted, or the session was ended there), so the login screen says why.
   */
  sessionEnded: z.boolean().optional(),
});
export type AppStatus = z.infer<typeof AppStatus>;

export const UserSummary = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(Role),
  active: z.boolean(),
  mustChangePassword: z.boolean(),
  createdAt: z.string(),
  lastLoginAt: z.string().nullable(),
});
export type UserSummary = z.infer<typeof UserSummary>;

/** A row of the Users page: an active user without a key slot on this installation (restored from another) needs a new temporary password. */
export const UserListEntry = UserSummary.extend({ needsNewPassword: z.boolean() });
export type UserListEntry = z.infer<typeof UserListEntry>;

export const WorkstationPreferences = z.object({
  language: z.enum(LANGUAGES),
  /** Discreet mode: lists and boards show initials and times only (on by default: visitors see the desk). */
  discreet: z.boolean(),
});
export type WorkstationPreferences = z.infer<typeof WorkstationPreferences>;

/** The Utväg server's address as an admin types it at first run: https (or http to this computer only, checked by the workstation). */
export const ServerUrl = z
  .string()
  .trim()
  .min(1, { message: 'error.server.urlMissing' })
  .max(300)
  .refine(
    (value) => {
      try {
        const url = new URL(value);
        return (url.protocol === 'https:' || url.protocol === 'http:') && url.username === '' && url.password === '';
      } catch {
        return false;
      }
    },
    { message: 'error.server.urlFormat' },
  );

export const ConnectServerInput = z
  .object({
    url: ServerUrl,
    /** Desktop only: pick the certificate authority (PEM) that signed the server's certificate in the system's file dialog. */
    chooseCa: z.boolean(),
  })
  .strict();

export const Settings = z.object({
  idleLockMinutes: IdleLockMinutes,
  /** Minimum minutes between a linked pair's appointments across sides at the same site (the separation rule). */
  separationBufferMinutes: z
    .number()
    .int()
    .min(30)
    .max(24 * 60),
});
export type Settings = z.infer<typeof Settings>;

export const SetupInput = z
  .object({
    displayName: DisplayName,
    username: Username,
    password: NewPassword,
    passwordRepeat: z.string(),
  })
  .strict()
  .refine((value) => value.password === value.passwordRepeat, { message: 'error.password.mismatch', path: ['passwordRepeat'] });

export const LoginInput = z.object({ username: Username, password: Password }).strict();

export const ChangePasswordInput = z
  .object({
    currentPassword: Password,
    newPassword: NewPassword,
    newPasswordRepeat: z.string(),
  })
  .strict()
  .refine((value) => value.newPassword === value.newPasswordRepeat, { message: 'error.password.mismatch', path: ['newPasswordRepeat'] })
  .refine((value) => value.newPassword !== value.currentPassword, { message: 'error.password.unchanged', path: ['newPassword'] });

export const CreateUserInput = z
  .object({
    displayName: DisplayName,
    username: Username,
    roles: z.array(Role).min(1, { message: 'error.roles.none' }).max(3),
  })
  .strict();

/** An existing user's roles, replaced whole: at least one, each once. */
export const SetUserRolesInput = z
  .object({
    userId: Id,
    roles: z
      .array(Role)
      .min(1, { message: 'error.roles.none' })
      .max(3)
      .refine((roles) => new Set(roles).size === roles.length, { message: 'error.roles.duplicate' }),
  })
  .strict();

export const authChannels = {
  'app.status': channel({ input: Empty, output: AppStatus, access: 'public', clientData: 'none', passive: true }),
  'workstation.get': channel({ input: Empty, output: WorkstationPreferences, access: 'public', clientData: 'none', passive: true }),
  'workstation.update': channel({
    input: WorkstationPreferences.partial().strict(),
    output: WorkstationPreferences,
    access: 'public',
    clientData: 'none',
    passive: true,
  }),
  /**
   * First run only ('setup' state): make this workstation a client of the centre's Utväg server
   * instead of creating a local journal. Answered by the workstation itself, never sent to a server.
   */
  'workstation.connectServer': channel({
    input: ConnectServerInput,
    output: z.object({ connected: z.literal(true), version: z.string() }),
    access: 'public',
    clientData: 'none',
  }),
  'auth.setup': channel({
    input: SetupInput,
    output: z.object({ recoveryCode: z.string(), user: SessionUser }),
    access: 'public',
    clientData: 'none',
  }),
  'auth.login': channel({ input: LoginInput, output: SessionUser, access: 'public', clientData: 'none' }),
  'auth.recover': channel({
    input: z
      .object({ recoveryCode: RecoveryCode, username: Username, newPassword: NewPassword, newPasswordRepeat: z.string() })
      .strict()
      .refine((value) => value.newPassword === value.newPasswordRepeat, { message: 'error.password.mismatch', path: ['newPasswordRepeat'] }),
    output: z.object({ recoveryCode: z.string(), user: SessionUser }),
    access: 'public',
    clientData: 'none',
  }),
  'auth.lock': channel({ input: Empty, output: z.object({ locked: z.literal(true) }), access: 'session', clientData: 'none' }),
  'auth.logout': channel({ input: Empty, output: z.object({ locked: z.literal(true) }), access: 'session', clientData: 'none' }),
  'auth.changePassword': channel({ input: ChangePasswordInput, output: SessionUser, access: 'session', clientData: 'none' }),
  'session.activity': channel({ input: Empty, output: z.object({ idleLockMinutes: z.number().int() }), access: 'session', clientData: 'none' }),
  'settings.get': channel({ input: Empty, output: Settings, access: ['admin'], clientData: 'none' }),
  'settings.update': channel({ input: Settings.partial().strict(), output: Settings, access: ['admin'], clientData: 'none' }),
  'users.list': channel({ input: Empty, output: z.array(UserListEntry), access: ['admin'], clientData: 'none' }),
  'users.resetPassword': channel({
    input: z.object({ userId: Id }).strict(),
    output: z.object({ user: UserSummary, temporaryPassword: z.string() }),
    access: ['admin'],
    clientData: 'none',
  }),
  'users.deactivate': channel({ input: z.object({ userId: Id }).strict(), output: UserSummary, access: ['admin'], clientData: 'none' }),
  /** Replaces an active user's roles; the person's other sessions end, so her next call runs with the new ones. */
  'users.setRoles': channel({ input: SetUserRolesInput, output: UserSummary, access: ['admin'], clientData: 'none' }),
  'users.create': channel({
    input: CreateUserInput,
    output: z.object({ user: UserSummary, temporaryPassword: z.string() }),
    access: ['admin'],
    clientData: 'none',
  }),
  /** A new journal key and recovery code (shown once); the admin's password is asked again. */
  'auth.rekey': channel({
    input: z.object({ password: Password }).strict(),
    output: z.object({ recoveryCode: z.string(), usersWithoutPassword: z.number().int() }),
    access: ['admin'],
    clientData: 'none',
  }),
} as const;
