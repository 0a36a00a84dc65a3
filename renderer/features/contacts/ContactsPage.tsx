import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ContactView, NetworkDayView } from '../../../preload/contract';
import { call } from '../../ui/api';
import { useDesk } from '../../ui/desk';
import { FormError } from '../../ui/Field';
import { ContactRegister } from './ContactRegister';
import { NetworkDays } from './NetworkDays';
import { ALL_CONTACTS } from './model';
import './contacts.css';

const SECTIONS = ['contacts', 'days'] as const;
type Section = (typeof SECTIONS)[number];

/**
 * The admin's "Kontaktnätet": the register of Utväg's contact persons in the collaborating
 * agencies, the network days with attendance, and the newsletter's mailing list. Two parts behind
 * tabs; both stay mounted, so nothing typed in one is lost by looking at the other.
 */
export function ContactsPage() {
  const { t } = useTranslation();
  const { org } = useDesk();
  const [section, setSection] = useState<Section>('contacts');
  // Every contact person and every day, for the attendance checklists and the per-person lists of days.
  const [everyone, setEveryone] = useState<ContactView[] | null>(null);
  const [days, setDays] = useState<NetworkDayView[] | null>(null);
  const [loadError, setLoadError] = useState<string | undefined>();
  // Bumped after every change, so each list asks the journal again.
  const [revision, setRevision] = useState(0);
  const tabs = useRef(new Map<Section, HTMLButtonElement>());

  useEffect(() => {
    let current = true;
    void Promise.all([call('contacts.list', { filter: ALL_CONTACTS }), call('networkDays.list', {})]).then(([contacts, networkDays]) => {
      if (!current) return;
      if (contacts.ok) setEveryone(contacts.value);
      if (networkDays.ok) setDays(networkDays.value);
      setLoadError(!contacts.ok ? contacts.error.message : !networkDays.ok ? networkDays.error.message : undefined);
    });
    return () => {
      current = false;
    };
  }, [revision]);

  const changed = useCallback(() => setRevision((value) => value + 1), []);

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
    <div className="contacts-page">
      <h1>{t('contacts.title')}</h1>
      <p className="lead">{t('contacts.lead')}</p>
      <p className="contacts-rule">{t('contacts.noClientData')}</p>
      <FormError message={loadError} />
      {!everyone || !days || !org ? (
        loadError ? null : (
          <p role="status">{t('contacts.loading')}</p>
        )
      ) : (
        <>
          <div role="tablist" aria-label={t('contacts.sections.label')} className="contacts-tabs">
            {SECTIONS.map((id, index) => (
              <button
                key={id}
                ref={(element) => {
                  if (element) tabs.current.set(id, element);
                  else tabs.current.delete(id);
                }}
                type="button"
                role="tab"
                id={`contacts-tab-${id}`}
                aria-selected={id === section}
                aria-controls={`contacts-panel-${id}`}
                tabIndex={id === section ? 0 : -1}
                onClick={() => setSection(id)}
                onKeyDown={(event) => onTabKey(event, index)}
              >
                {t(`contacts.sections.${id}`)}
              </button>
            ))}
          </div>
          <div role="tabpanel" id="contacts-panel-contacts" aria-labelledby="contacts-tab-contacts" hidden={section !== 'contacts'} tabIndex={0}>
            <ContactRegister org={org} days={days} revision={revision} onChanged={changed} />
          </div>
          <div role="tabpanel" id="contacts-panel-days" aria-labelledby="contacts-tab-days" hidden={section !== 'days'} tabIndex={0}>
            <NetworkDays org={org} days={days} everyone={everyone} onChanged={changed} />
          </div>
        </>
      )}
    </div>
  );
}
