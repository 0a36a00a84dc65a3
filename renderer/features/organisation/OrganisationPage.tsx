import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrgView } from '../../../preload/contract';
import { call } from '../../ui/api';
import { useDesk } from '../../ui/desk';
import { FormError } from '../../ui/Field';
import { Municipalities } from './Municipalities';
import { Premises } from './Premises';
import { SeparationBuffer } from './SeparationBuffer';
import { Therapists } from './Therapists';
import { useAddressState } from './model';

const SECTIONS = ['premises', 'therapists', 'municipalities', 'buffer'] as const;
type Section = (typeof SECTIONS)[number];

/**
 * The admin's "Lokaler och personal": everything the reception's rules stand on. Four parts behind
 * tabs (arrow keys move between them); every part stays mounted, so nothing typed is lost by
 * looking at another part, and the part, site and therapist are kept in the address for a reload.
 */
export function OrganisationPage() {
  const { t } = useTranslation();
  const { reloadOrg, siteId: deskSiteId } = useDesk();
  const [org, setOrg] = useState<OrgView | null>(null);
  const [loadError, setLoadError] = useState<string | undefined>();
  const [sectionParam, setSection] = useAddressState('section', 'premises');
  const [siteId, setSiteId] = useAddressState('site', deskSiteId);
  const [therapistId, setTherapistId] = useAddressState('therapist', '');
  const section: Section = (SECTIONS as readonly string[]).includes(sectionParam) ? (sectionParam as Section) : 'premises';
  const tabs = useRef(new Map<Section, HTMLButtonElement>());

  useEffect(() => {
    void call('org.get', {}).then((result) => {
      if (result.ok) setOrg(result.value);
      else setLoadError(result.error.message);
    });
  }, []);

  // Every save answers with the fresh premises: show them here and let the rest of the app reload them.
  const saved = useCallback(
    (fresh: OrgView) => {
      setOrg(fresh);
      void reloadOrg();
    },
    [reloadOrg],
  );

  const onTabKey = (event: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const last = SECTIONS.length - 1;
    const moves: Record<string, number> = {
      ArrowRight: index === last ? 0 : index + 1,
      ArrowLeft: index === 0 ? last : index - 1,
      Home: 0,
      End: last,
    };
    const next = moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const target = SECTIONS[next]!;
    setSection(target);
    tabs.current.get(target)?.focus();
  };

  return (
    <div className="org-page">
      <h1>{t('organisation.title')}</h1>
      <p className="lead">{t('organisation.lead')}</p>
      {!org ? (
        loadError ? (
          <FormError message={loadError} />
        ) : (
          <p role="status">{t('organisation.loading')}</p>
        )
      ) : (
        <>
          <div role="tablist" aria-label={t('organisation.sections.label')} className="org-tabs">
            {SECTIONS.map((id, index) => (
              <button
                key={id}
                ref={(element) => {
                  if (element) tabs.current.set(id, element);
                  else tabs.current.delete(id);
                }}
                type="button"
                role="tab"
                id={`organisation-tab-${id}`}
                aria-selected={id === section}
                aria-controls={`organisation-panel-${id}`}
                tabIndex={id === section ? 0 : -1}
                onClick={() => setSection(id)}
                onKeyDown={(event) => onTabKey(event, index)}
              >
                {t(`organisation.sections.${id}`)}
              </button>
            ))}
          </div>
          {SECTIONS.map((id) => (
            <div
              key={id}
              role="tabpanel"
              id={`organisation-panel-${id}`}
              aria-labelledby={`organisation-tab-${id}`}
              hidden={id !== section}
              tabIndex={0}
              className="org-panel"
            >
              {id === 'premises' ? <Premises org={org} siteId={siteId} onSiteChange={setSiteId} onSaved={saved} /> : null}
              {id === 'therapists' ? <Therapists org={org} editingId={therapistId} onEdit={setTherapistId} onSaved={saved} /> : null}
              {id === 'municipalities' ? <Municipalities org={org} onSaved={saved} /> : null}
              {id === 'buffer' ? (
                <SeparationBuffer
                  org={org}
                  onSaved={(minutes) => {
                    setOrg((current) => (current ? { ...current, separationBufferMinutes: minutes } : current));
                    void reloadOrg();
                  }}
                />
              ) : null}
            </div>
          ))}
        </>
      )}
    </div>
  );
}
