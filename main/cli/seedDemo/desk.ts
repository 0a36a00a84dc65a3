import type { SessionUser } from '../../../preload/contract/index.js';
import { type Router, createRouter } from '../../router.js';
import type { AppHost } from '../../handlers/context.js';
import type { JournalApp } from '../../services/session/index.js';

/**
 * A colleague's workstation: the real router over the same open journal, with the colleague as the
 * signed-in user. A JournalApp holds one session, and each sign-in and each signature costs an
 * Argon2id derivation of 64 MiB; ten years of therapists signing in and signing 20,000 entries that
 * way would take hours. So only the session is simulated here: the router still validates every
 * input and output, checks the roles, runs the services (care relations, emergency access, signed
 * entries that never change) and writes the access log in the same transaction as the work, and a
 * signature still has to give the colleague's own password, compared as typed instead of through
 * the key slot. Everything else runs as it does in the app.
 */
export function colleagueDesk(app: JournalApp, user: SessionUser, password: string): Router {
  const desk = {
    get db() {
      return app.db;
    },
    get store() {
      return app.store;
    },
    get scope() {
      return app.scope;
    },
    dataDir: app.dataDir,
    now: app.now,
    log: app.log,
    user,
    idle: { touch: () => {} },
    status: () => app.status(),
    verifyPassword: (given: string) => Promise.resolve(given === password),
  };
  // The router reaches the app only through these members (the class has private state, hence the cast).
  return createRouter(desk as unknown as AppHost);
}
