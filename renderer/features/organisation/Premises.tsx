import { useTranslation } from 'react-i18next';
import type { OrgView } from '../../../preload/contract/index';
import { Entrances } from './Entrances';
import { Rooms } from './Rooms';
import { TrackRoutes } from './TrackRoutes';
import { WaitingRooms } from './WaitingRooms';
import type { OnOrgSaved } from './model';
import styles from './organisation.module.css';

/**
 * One site at a time: its way in for each track, entrances, waiting rooms and rooms. Both sites stay
 * mounted (the other one hidden), so switching site never throws away something typed and not saved.
 */
export function Premises({
  org,
  siteId,
  onSiteChange,
  onSaved,
}: {
  org: OrgView;
  siteId: string;
  onSiteChange: (siteId: string) => void;
  onSaved: OnOrgSaved;
}) {
  const { t } = useTranslation();
  const current = org.sites.some((site) => site.id === siteId) ? siteId : (org.sites[0]?.id ?? '');
  return (
    <>
      <fieldset className={styles.orgSites}>
        <legend>{t('organisation.site.legend')}</legend>
        {org.sites.map((site) => (
          <label key={site.id} className={site.id === current ? `${styles.orgSite} ${styles.orgSiteChosen}` : styles.orgSite}>
            <input type="radio" name="organisation-site" value={site.id} checked={site.id === current} onChange={() => onSiteChange(site.id)} />
            {site.name}
          </label>
        ))}
      </fieldset>
      {org.sites.map((site) => (
        <section key={site.id} aria-labelledby={`organisation-site-${site.id}`} hidden={site.id !== current} className="org-site-panel">
          <h2 id={`organisation-site-${site.id}`}>{site.name}</h2>
          <TrackRoutes org={org} site={site} onSaved={onSaved} />
          <Entrances org={org} site={site} onSaved={onSaved} />
          <WaitingRooms org={org} site={site} onSaved={onSaved} />
          <Rooms org={org} site={site} onSaved={onSaved} />
        </section>
      ))}
    </>
  );
}
