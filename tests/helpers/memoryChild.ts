/**
 * The program the key-in-memory test reads: it signs in through the real JournalApp and router,
 * reads something, locks, lets V8 collect what it can, says LOCKED and waits. The test then scans
 * this process's memory for the journal key. Bundled like crashChild.ts (see memory test).
 */
import { JournalApp } from '../../main/services/session/index.js';
import { createRouter } from '../../main/router.js';

const env = process.env;
const app = new JournalApp({ dataDir: env.MEMORY_DATA_DIR! });
const router = createRouter(app);
const login = await router.invoke('auth.login', { username: env.MEMORY_USERNAME, password: env.MEMORY_PASSWORD });
if (!login.ok) {
  process.stdout.write(`FAILED ${JSON.stringify(login.error)}\n`);
  process.exit(1);
}
await router.invoke('users.list', {});
await router.invoke('audit.verify', {});
await router.invoke('auth.lock', {});
// Whatever V8 still holds but no longer references would be found too; collect it first, as time would.
for (let i = 0; i < 3; i += 1) (globalThis as { gc?: () => void }).gc?.();
process.stdout.write(`LOCKED ${app.isUnlocked}\n`);
setInterval(() => undefined, 60_000);
