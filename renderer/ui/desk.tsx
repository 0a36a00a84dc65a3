import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrgView, SessionUser, Side } from '../../preload/contract/index';
import { Dialog } from './Dialog';
import { initialsOf } from './initials';
import { dropClientData, invalidateChannels, SessionQueryProvider, useChannelMutation, useChannelQuery } from './query';
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
  /**
   * A form says whether it holds unsaved changes; returns the unregister function. The side switch
   * asks first while any form has changes; going to another screen asks first while one has changes
   * that leaving would lose (`keptOnLeave`: the form keeps its draft in the session's memory).
   */
  registerUnsaved(hasChanges: () => boolean, options?: { keptOnLeave?: boolean }): () => void;
  /** Goes to another screen (a location hash), asking first when a form there would lose its changes. */
  navigate(href: string): void;
  siteId: string;
  setSiteId(siteId: string): void;
  discreet: boolean;
  setDiscreet(discreet: boolean): void;
}

const DeskContext = createContext<Desk | null>(null);

const SIDE_KEY = 'desk:side';

/**
 * `memory` outlives this provider (it is remounted at every unlock) and is shared with the screens below.
 * The provider also holds the session's query cache: a new one at every unlock, dropped at lock and sign-out.
 */
/** One form's say in the registry of unsaved changes. */
interface UnsavedForm {
  hasChanges: () => boolean;
  keptOnLeave: boolean;
}

export function DeskProvider({ user, memory, children }: { user: SessionUser; memory: SessionMemory; children: ReactNode }) {
  const unsaved = useRef(new Set<UnsavedForm>());
  const hasUnsavedWork = useCallback(() => [...unsaved.current].some((form) => form.hasChanges()), []);
  return (
    <SessionQueryProvider hasUnsavedWork={hasUnsavedWork}>
      <DeskState user={user} memory={memory} unsaved={unsaved} hasUnsavedWork={hasUnsavedWork}>
        {children}
      </DeskState>
    </SessionQueryProvider>
  );
}

function DeskState({
  user,
  memory,
  unsaved,
  hasUnsavedWork,
  children,
}: {
  user: SessionUser;
  memory: SessionMemory;
  unsaved: RefObject<Set<UnsavedForm>>;
  hasUnsavedWork: () => boolean;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const orgQuery = useChannelQuery('org.get', {});
  const org = orgQuery.data ?? null;
  // The same person unlocking comes back to the side she was on; anyone else starts afresh.
  const remembered = memory.get<Side>(user.id, SIDE_KEY);
  const [chosenSide, setChosenSide] = useState<Side | null>(remembered ?? null);
  // A therapist who serves only the perpetrators' track starts on that side; everyone else on the victims' side.
  const own = org?.therapists.find((therapist) => therapist.id === user.id);
  const side: Side =
    chosenSide ??
    (own && !user.roles.includes('receptionist') && own.tracks.length > 0 && own.tracks.every((track) => track === 'perpetrator')
      ? 'perpetrators'
      : 'victims');
  const setSide = useCallback(
    (next: Side) => {
      // Every answer of the side shown goes before the other side renders: none can paint it, not even a late one.
      if (next !== side) dropClientData(queryClient);
      setChosenSide(next);
      memory.set(user.id, SIDE_KEY, next);
    },
    [memory, user.id, side, queryClient],
  );
  const [pendingSide, setPendingSide] = useState<Side | null>(null);
  const registerUnsaved = useCallback(
    (hasChanges: () => boolean, options: { keptOnLeave?: boolean } = {}) => {
      const form: UnsavedForm = { hasChanges, keptOnLeave: options.keptOnLeave ?? false };
      unsaved.current.add(form);
      return () => {
        unsaved.current.delete(form);
      };
    },
    [unsaved],
  );
  /** Changes that leaving the screen (or the side) would lose: a form that does not keep a draft. */
  const hasWorkLostOnLeave = useCallback(() => [...unsaved.current].some((form) => !form.keptOnLeave && form.hasChanges()), [unsaved]);
  const [sideLosesWork, setSideLosesWork] = useState(false);
  const requestSide = useCallback(
    (next: Side) => {
      if (next === side) return;
      if (hasUnsavedWork()) {
        setSideLosesWork(hasWorkLostOnLeave());
        setPendingSide(next);
      } else setSide(next);
    },
    [side, setSide, hasUnsavedWork, hasWorkLostOnLeave],
  );

  // Going to another screen unmounts its forms: a link followed (menu, a list's link, "Boka") or a
  // shortcut asks first while one would lose its changes. Links within the same screen do not.
  const [pendingHref, setPendingHref] = useState<string | null>(null);
  const leavesScreen = (href: string) => href.split('?')[0] !== (window.location.hash || '#/').split('?')[0];
  const navigate = useCallback(
    (href: string) => {
      if (leavesScreen(href) && hasWorkLostOnLeave()) setPendingHref(href);
      else window.location.hash = href;
    },
    [hasWorkLostOnLeave],
  );
  useEffect(() => {
    const onClick = (event: MouseEvent) => {
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const anchor = event.target instanceof Element ? event.target.closest('a[href^="#/"]') : null;
      const href = anchor?.getAttribute('href');
      if (!href || !leavesScreen(href) || !hasWorkLostOnLeave()) return;
      event.preventDefault();
      setPendingHref(href);
    };
    document.addEventListener('click', onClick, true);
    return () => document.removeEventListener('click', onClick, true);
  }, [hasWorkLostOnLeave]);
  const [chosenSiteId, setSiteId] = useState<string>('');
  const siteId = org && chosenSiteId && org.sites.some((site) => site.id === chosenSiteId) ? chosenSiteId : (own?.siteId ?? org?.sites[0]?.id ?? '');

  const reloadOrg = useCallback(async () => {
    await invalidateChannels(['org.get'], queryClient);
  }, [queryClient]);

  const workstation = useChannelQuery('workstation.get', {});
  const [chosenDiscreet, setChosenDiscreet] = useState<boolean | null>(null);
  const discreet = chosenDiscreet ?? workstation.data?.discreet ?? true;
  const updateWorkstation = useChannelMutation('workstation.update');
  const saveWorkstation = updateWorkstation.run;
  const setDiscreet = useCallback(
    (value: boolean) => {
      setChosenDiscreet(value);
      void saveWorkstation({ discreet: value });
    },
    [saveWorkstation],
  );

  const value = useMemo<Desk>(
    () => ({ user, org, reloadOrg, side, setSide, requestSide, registerUnsaved, navigate, siteId, setSiteId, discreet, setDiscreet }),
    [user, org, reloadOrg, side, setSide, requestSide, registerUnsaved, navigate, siteId, discreet, setDiscreet],
  );
  return (
    <SessionMemoryProvider value={memory}>
      <DeskContext.Provider value={value}>
        {children}
        {pendingSide ? (
          // Staying is the default: a switch with a form half-typed is a deliberate second step.
          <Dialog title={t('start.sideSwitch.title')} onClose={() => setPendingSide(null)} testId="side-switch-dialog">
            <p>
              {t(sideLosesWork ? 'start.sideSwitch.bodyLost' : 'start.sideSwitch.body', {
                from: t(`sidesShort.${side}`),
                to: t(`sidesShort.${pendingSide}`),
              })}
            </p>
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
        {pendingHref ? (
          <Dialog title={t('start.leave.title')} onClose={() => setPendingHref(null)} testId="leave-dialog">
            <p>{t('start.leave.body')}</p>
            <div className="actions">
              <button type="button" className="button button--primary" data-autofocus onClick={() => setPendingHref(null)}>
                {t('start.leave.stay')}
              </button>
              <button
                type="button"
                className="button"
                onClick={() => {
                  const href = pendingHref;
                  setPendingHref(null);
                  window.location.hash = href;
                }}
              >
                {t('start.leave.leave')}
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
