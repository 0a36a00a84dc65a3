import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TRACKS, type OrgView } from '../../../preload/contract/index';
import { TherapistEditor } from './TherapistEditor';
import { summariseHours, type OnOrgSaved } from './model';
import styles from './organisation.module.css';

/**
 * Every user with the therapist role, with where they work, their tracks and hours at a glance, and
 * an editor for one of them at a time. Editors once opened stay mounted (hidden), so moving between
 * therapists keeps what was typed for each until it is saved.
 */
export function Therapists({
  org,
  editingId,
  onEdit,
  onSaved,
}: {
  org: OrgView;
  editingId: string;
  onEdit: (therapistId: string) => void;
  onSaved: OnOrgSaved;
}) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState<string[]>(() => (editingId ? [editingId] : []));
  const [unsaved, setUnsaved] = useState<Record<string, boolean>>({});
  const [focusRequest, setFocusRequest] = useState(0);
  const siteName = (id: string | null) => org.sites.find((site) => site.id === id)?.name;
  const dayName = (weekday: number) => t(`organisation.weekdaysShort.${weekday}`);
  const present = org.therapists.filter((therapist) => opened.includes(therapist.id));

  const open = (id: string) => {
    setOpened((current) => (current.includes(id) ? current : [...current, id]));
    setFocusRequest((count) => count + 1);
    onEdit(id);
  };

  return (
    <>
      <h2 id="organisation-therapists-heading">{t('organisation.therapists.title')}</h2>
      <p className={styles.orgIntro}>{t('organisation.therapists.lead')}</p>
      <p className={styles.orgIntro}>
        {t('organisation.therapists.usersHint')} <a href="#/admin/users">{t('organisation.therapists.usersLink')}</a>.
      </p>
      {org.therapists.length === 0 ? (
        <p className={styles.orgEmpty}>{t('organisation.therapists.none')}</p>
      ) : (
        <table className={`table ${styles.orgTable}`}>
          <caption>{t('organisation.therapists.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('organisation.therapists.name')}</th>
              <th scope="col">{t('organisation.therapists.site')}</th>
              <th scope="col">{t('organisation.therapists.tracks')}</th>
              <th scope="col">{t('organisation.therapists.hours')}</th>
              <th scope="col">{t('organisation.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {org.therapists.map((therapist) => (
              <tr key={therapist.id} className={therapist.id === editingId ? styles.orgRowCurrent : undefined}>
                <th scope="row">{therapist.displayName}</th>
                <td>{siteName(therapist.siteId) ?? <span className={styles.orgMissing}>{t('organisation.therapists.notSet')}</span>}</td>
                <td>
                  {therapist.tracks.length ? (
                    TRACKS.filter((track) => therapist.tracks.includes(track))
                      .map((track) => t(`tracks.${track}`))
                      .join(', ')
                  ) : (
                    <span className={styles.orgMissing}>{t('organisation.therapists.notSet')}</span>
                  )}
                </td>
                <td>
                  {therapist.hours.length ? (
                    summariseHours(therapist.hours, dayName)
                  ) : (
                    <span className={styles.orgMissing}>{t('organisation.therapists.noHours')}</span>
                  )}
                </td>
                <td className={styles.orgActionsCell}>
                  <div className={styles.orgActions}>
                    <button
                      type="button"
                      className={`button ${styles.orgButtonSmall}`}
                      aria-label={t('organisation.therapists.editFor', { name: therapist.displayName })}
                      aria-expanded={therapist.id === editingId}
                      aria-controls={opened.includes(therapist.id) ? `organisation-therapist-${therapist.id}` : undefined}
                      onClick={() => open(therapist.id)}
                    >
                      {t('organisation.therapists.edit')}
                    </button>
                    {unsaved[therapist.id] ? <span className={styles.orgUnsaved}>{t('organisation.unsaved')}</span> : null}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {present.map((therapist) => (
        <TherapistEditor
          key={therapist.id}
          org={org}
          therapist={therapist}
          shown={therapist.id === editingId}
          focusRequest={focusRequest}
          onDirtyChange={(dirty) => setUnsaved((current) => (current[therapist.id] === dirty ? current : { ...current, [therapist.id]: dirty }))}
          onSaved={onSaved}
        />
      ))}
    </>
  );
}
