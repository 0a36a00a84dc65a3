import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDesk } from '../../ui/desk';
import { FormError } from '../../ui/Field';
import { useChannelQuery, useInvalidate } from '../../ui/query';
import { TabList, TabPanel } from '../../ui/Tabs';
import { ContactRegister } from './ContactRegister';
import { NetworkDays } from './NetworkDays';
import { ALL_CONTACTS } from './model';
import styles from './contacts.module.css';

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
  // Every save and removal invalidates these lists (see the query layer's map), so each asks the journal again.
  const contactList = useChannelQuery('contacts.list', { filter: ALL_CONTACTS });
  const dayList = useChannelQuery('networkDays.list', {});
  const everyone = contactList.data ?? null;
  const days = dayList.data ?? null;
  const loadError = contactList.error?.message ?? dayList.error?.message;
  const invalidate = useInvalidate();
  const changed = useCallback(() => void invalidate(['contacts.list', 'networkDays.list']), [invalidate]);

  return (
    <div className={styles.contactsPage}>
      <h1>{t('contacts.title')}</h1>
      <p className="lead">{t('contacts.lead')}</p>
      <p className={styles.contactsRule}>{t('contacts.noClientData')}</p>
      <FormError message={loadError} />
      {!everyone || !days || !org ? (
        loadError ? null : (
          <p role="status">{t('contacts.loading')}</p>
        )
      ) : (
        <>
          <TabList
            name="contacts"
            label={t('contacts.sections.label')}
            ids={SECTIONS}
            selected={section}
            onSelect={setSection}
            tabLabel={(id) => t(`contacts.sections.${id}`)}
          />
          <TabPanel name="contacts" id="contacts" selected={section === 'contacts'}>
            <ContactRegister org={org} days={days} onChanged={changed} />
          </TabPanel>
          <TabPanel name="contacts" id="days" selected={section === 'days'}>
            <NetworkDays org={org} days={days} everyone={everyone} onChanged={changed} />
          </TabPanel>
        </>
      )}
    </div>
  );
}
