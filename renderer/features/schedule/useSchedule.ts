import type { AppointmentView, Side } from '../../../preload/contract/index';
import { useChannelQuery } from '../../ui/query';

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
 * One side's appointments for the shown days. The query cache keys the answer by the whole query,
 * side included, and drops every answer at a side switch, so the other side's appointments are
 * never on screen, not even for a moment.
 */
export function useSchedule(query: ScheduleQuery | null): ScheduleState {
  const range = useChannelQuery('schedule.range', query);
  return {
    appointments: range.data ?? null,
    loading: query !== null && range.isPending,
    error: range.error?.message ?? null,
    reload: async () => {
      await range.refetch();
    },
  };
}
