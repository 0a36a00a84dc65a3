import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrgView } from '../../../preload/contract/index';
import { useDesk } from '../../ui/desk';
import { FormError } from '../../ui/Field';
import { channelKey, useChannelQuery } from '../../ui/query';
import { TabList, TabPanel } from '../../ui/Tabs';
import { Municipalities } from './Municipalities';
import { Premises } from './Premises';
import { SeparationBuffer } from './SeparationBuffer';
import { Therapists } from './Therapists';
import { useAddressState } from './model';
import styles from './organisation.module.css';

const SECTIONS = ['premises', 'therapists', 'municipalities', 'buffer'] as const;
type Section = (typeof SECTIONS)[number];

/**
 * The admin's "Lokaler och personal": everything the reception's rules stand on. Four parts behind
 * tabs (arrow keys move between them); every part stays mounted, so nothing typed is lost by
 * looking at another part, and the part, site and therapist are kept in the address for a reload.
 */
export function OrganisationPage() {
  const { t } = useTranslation();
  const { siteId: deskSiteId } = useDesk();
  const queryClient = useQueryClient();
  // The same read as the desk's: a save shown here is shown everywhere at once.
  const orgQuery = useChannelQuery('org.get', {});
  const org = orgQuery.data ?? null;
  const loadError = orgQuery.error?.message;
  const [sectionParam, setSection] = useAddressState('section', 'premises');
  const [siteId, setSiteId] = useAddressState('site', deskSiteId);
  const [therapistId, setTherapistId] = useAddressState('therapist', '');
  const section: Section = (SECTIONS as readonly string[]).includes(sectionParam) ? (sectionParam as Section) : 'premises';

  // Every save answers with the fresh premises: shown here and in the rest of the app at once.
  const saved = useCallback((fresh: OrgView) => queryClient.setQueryData(channelKey('org.get', {}), fresh), [queryClient]);

  return (
    <div className={styles.orgPage}>
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
          <TabList
            name="organisation"
            label={t('organisation.sections.label')}
            ids={SECTIONS}
            selected={section}
            onSelect={setSection}
            tabLabel={(id) => t(`organisation.sections.${id}`)}
          />
          {SECTIONS.map((id) => (
            <TabPanel key={id} name="organisation" id={id} selected={id === section} className={styles.orgPanel}>
              {id === 'premises' ? <Premises org={org} siteId={siteId} onSiteChange={setSiteId} onSaved={saved} /> : null}
              {id === 'therapists' ? <Therapists org={org} editingId={therapistId} onEdit={setTherapistId} onSaved={saved} /> : null}
              {id === 'municipalities' ? <Municipalities org={org} onSaved={saved} /> : null}
              {id === 'buffer' ? (
                <SeparationBuffer
                  org={org}
                  onSaved={(minutes) =>
                    queryClient.setQueryData<OrgView>(channelKey('org.get', {}), (current) =>
                      current ? { ...current, separationBufferMinutes: minutes } : current,
                    )
                  }
                />
              ) : null}
            </TabPanel>
          ))}
        </>
      )}
    </div>
  );
}
