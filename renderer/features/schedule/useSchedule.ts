import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppointmentView, Side } from '../../../preload/contract/index';
import { call } from '../../ui/api';

export interface ScheduleQuery {
  side: Side;
  siteId: string;
  from: string;
  days: number;
  therapistId: string | null;
  roomId: string | null;
}

export interface ScheduleState {
  appointments: AppointmentView[] | null;
  loading: boolean;
  error: string | null;
  reload(): Promise<void>;
}

/**
 * One side's appointments for the shown days. An answer is kept only for the query that asked for
 * it, so after a side switch the other side's appointments are never on screen, not even for a moment.
 */
export function useSchedule(query: ScheduleQuery | null): ScheduleState {
  const key = query ? JSON.stringify(query) : null;
  const [answer, setAnswer] = useState<{ key: string; appointments: AppointmentView[] | null; error: string | null } | null>(null);
  const latest = useRef<string | null>(null);

  const load = useCallback(async () => {
    if (!key) return;
    latest.current = key;
    const result = await call('schedule.range', JSON.parse(key) as ScheduleQuery);
    if (latest.current !== key) return;
    setAnswer(result.ok ? { key, appointments: result.value, error: null } : { key, appointments: null, error: result.error.message });
  }, [key]);

  useEffect(() => {
    void load();
  }, [load]);

  const current = answer && answer.key === key ? answer : null;
  return { appointments: current?.appointments ?? null, loading: key !== null && current === null, error: current?.error ?? null, reload: load };
}
