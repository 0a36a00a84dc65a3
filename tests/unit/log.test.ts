import { describe, expect, it } from 'vitest';
import { createLogger } from '../../main/log.js';

describe('the troubleshooting log', () => {
  it('keeps only whitelisted fields with short identifier values', () => {
    const lines: string[] = [];
    const log = createLogger((line) => lines.push(line));
    log.info('router.unhandled', {
      channel: 'users.create',
      code: 'SQLITE_CONSTRAINT',
      reason: 'Fiktiva Klientsdotter 19900101-0017',
      ...({ name: 'Fiktiva Klientsdotter', password: 'secret' } as object),
    });
    const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(entry).toMatchObject({ level: 'info', event: 'router.unhandled', channel: 'users.create', code: 'SQLITE_CONSTRAINT' });
    expect(lines[0]).not.toContain('Klientsdotter');
    expect(lines[0]).not.toContain('secret');
    expect(entry).not.toHaveProperty('reason');
  });
});
