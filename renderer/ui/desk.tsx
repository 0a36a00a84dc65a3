import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrgView, SessionUser, Side } from '../../preload/contract/index';
import { call } from './api';
import { Dialog } from './Dialog';
import { initialsOf } from './initials';
import { SessionMemoryProvider, type SessionMemory } from './sessionMemory';

/**
 * What every screen at the desk shares: which side of the house is shown (switched deliberately,
 * never mixed), which site, whether discreet mode hides names, and the centre's premises.
 */
export interface Desk {
  user: SessionUser;
  org: OrgView | null;
  reloadOrg(): Promise<void>;
  side: Side;
  setSide(side: Side): void;
  /** The desk's own side switch (button, Alt+S): asks first when a screen holds unsaved changes. */
  requestSide(side: Side): void;
  /** A screen says whether it holds unsaved changes (a half-typed form); returns the unregister function. */
  registerUnsaved(hasChanges: () => boolean): () => void;
  siteId: string;
  setSiteId(siteId: string): void;
  discreet: boolean;
  setDiscreet(discreet: boolean): void;
}

const DeskContext = createContext<Desk | null>(null);

const SIDE_KEY = 'desk:side';

/** `memory` outlives this provider (it is remounted at every unlock) and is shared with the screens below. */
export function DeskProvider({ user, memory, children }: { user: SessionUser; memory: SessionMemory; children: ReactNode }) {
  const { t } = useTranslation();
  const [org, setOrg] = useState<OrgView | null>(null);
  // The same person unlocking comes back to the side she was on; anyone else starts afresh.
  const remembered = memory.get<Side>(user.id, SIDE_KEY);
  const [side, setSideState] = useState<Side>(remembered ?? 'victims');
  const setSide = useCallback(
    (next: Side) => {
      setSideState(next);
      memory.set(user.id, SIDE_KEY, next);
    },
    [memory, user.id],
  );
  const unsaved = useRef(new Set<() => boolean>());
  const [pendingSide, setPendingSide] = useState<Side | null>(null);
  const registerUnsaved = useCallback((hasChanges: () => boolean) => {
    unsaved.current.add(hasChanges);
    return () => {
      unsaved.current.delete(hasChanges);
    };
  }, []);
  const requestSide = useCallback(
    (next: Side) => {
      if (next === side) return;
      if ([...unsaved.current].some((hasChanges) => hasChanges())) setPendingSide(next);
      else setSide(next);
    },
    [side, setSide],
  );
  const [siteId, setSiteId] = useState<string>('');
  const [discreet, setDiscreetState] = useState(true);

  const reloadOrg = useCallback(async () => {
    const result = await call('org.get', {});
    if (!result.ok) return;
    setOrg(result.value);
    // A therapist who serves only the perpetrators' track starts on that side; everyone else on the victims' side.
    const own = result.value.therapists.find((therapist) => therapist.id === user.id);
    if (
      !memory.get(user.id, SIDE_KEY) &&
      own &&
      !user.roles.includes('receptionist') &&
      own.tracks.length > 0 &&
      own.tracks.every((track) => track === 'perpetrator')
    )
      setSideState('perpetrators');
    setSiteId((current) => {
      if (current && result.value.sites.some((site) => site.id === current)) return current;
      const mine = result.value.therapists.find((therapist) => therapist.id === user.id)?.siteId;
      return mine ?? result.value.sites[0]?.id ?? '';
    });
  }, [user.id, user.roles, memory]);

  useEffect(() => {
    void reloadOrg();
    void call('workstation.get', {}).then((result) => {
      if (result.ok) setDiscreetState(result.value.discreet);
    });
  }, [reloadOrg]);

  const setDiscreet = useCallback((value: boolean) => {
    setDiscreetState(value);
    void call('workstation.update', { discreet: value });
  }, []);

  const value = useMemo<Desk>(
    () => ({ user, org, reloadOrg, side, setSide, requestSide, registerUnsaved, siteId, setSiteId, discreet, setDiscreet }),
    [user, org, reloadOrg, side, setSide, requestSide, registerUnsaved, siteId, discreet, setDiscreet],
  );
  return (
    <SessionMemoryProvider value={memory}>
      <DeskContext.Provider value={value}>
        {children}
        {pendingSide ? (
          // Staying is the default: a switch with a form half-typed is a deliberate second step.
          <Dialog title={t('start.sideSwitch.title')} onClose={() => setPendingSide(null)} testId="side-switch-dialog">
            <p>{t('start.sideSwitch.body', { from: t(`sidesShort.${side}`), to: t(`sidesShort.${pendingSide}`) })}</p>
            <div className="actions">
              <button type="button" className="button button--primary" data-autofocus onClick={() => setPendingSide(null)}>
                {t('start.sideSwitch.stay', { side: t(`sidesShort.${side}`) })}
              </button>
              <button
                type="button"
                className="button"
                onClick={() => {
                  setPendingSide(null);
                  setSide(pendingSide);
                }}
              >
                {t('start.sideSwitch.switch', { side: t(`sidesShort.${pendingSide}`) })}
              </button>
            </div>
          </Dialog>
        ) : null}
      </DeskContext.Provider>
    </SessionMemoryProvider>
  );
}

export function useDesk(): Desk {
  const desk = useContext(DeskContext);
  if (!desk) throw new Error('useDesk outside DeskProvider');
  return desk;
}

/**
 * A row that can show its client's name for a moment in discreet mode: focus it and press V
 * (one keystroke), press V again or move on to hide it.
 */
export function useRevealableRow(): {
  revealed: boolean;
  rowProps: { tabIndex: number; onKeyDown: (event: React.KeyboardEvent) => void; onBlur: (event: React.FocusEvent) => void };
} {
  const [revealed, setRevealed] = useState(false);
  return {
    revealed,
    rowProps: {
      tabIndex: 0,
      onKeyDown: (event) => {
        if ((event.key === 'v' || event.key === 'V') && !event.ctrlKey && !event.metaKey && !event.altKey && event.target === event.currentTarget) {
          event.preventDefault();
          setRevealed((current) => !current);
        }
      },
      onBlur: (event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setRevealed(false);
      },
    },
  };
}

/** A client's name as the desk may show it: initials in discreet mode unless the row is revealed. */
export function ClientName({ name, revealed = false }: { name: string | null; revealed?: boolean }) {
  const { discreet } = useDesk();
  if (!name) return null;
  if (discreet && !revealed) {
    return (
      <span className="discreet" data-discreet="true">
        {initialsOf(name)}
      </span>
    );
  }
  return <span>{name}</span>;
}
