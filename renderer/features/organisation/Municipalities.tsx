import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrgView } from '../../../preload/contract/index';
import { translateMessage } from '../../i18n';
import { useChannelMutation } from '../../ui/query';
import { CellCheckbox, SavedNotice } from './cells';
import { byName, type Municipality, type OnOrgSaved } from './model';
import styles from './organisation.module.css';

const REGIONS = ['skaraborg', 'sodra_alvsborg', 'other'] as const;

/**
 * The municipalities of the two areas with their official codes, and which of them take part in
 * Etapp 2. Ticks are collected and saved together; a refusal lands on the municipality it concerns
 * and every tick stays as the admin left it.
 */
export function Municipalities({ org, onSaved }: { org: OrgView; onSaved: OnOrgSaved }) {
  const { t, i18n } = useTranslation();
  const setMunicipalityCall = useChannelMutation('org.setMunicipality');
  const [draft, setDraft] = useState<Record<string, boolean>>(() => Object.fromEntries(org.municipalities.map((m) => [m.code, m.etapp2])));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const boxes = useRef(new Map<string, HTMLInputElement>());

  const wanted = (municipality: Municipality) => draft[municipality.code] ?? municipality.etapp2;
  const changed = org.municipalities.filter((municipality) => municipality.code !== 'other' && wanted(municipality) !== municipality.etapp2);
  const participating = org.municipalities.filter((municipality) => municipality.etapp2).sort(byName);
  const list = new Intl.ListFormat(i18n.language, { type: 'conjunction' }).format(participating.map((municipality) => municipality.name));

  const save = async (event: React.FormEvent) => {
    event.preventDefault();
    setNotice(null);
    setErrors({});
    if (changed.length === 0) {
      setNotice(t('organisation.municipalities.nothingChanged'));
      return;
    }
    setSaving(true);
    let latest: OrgView | null = null;
    let failed = false;
    for (const municipality of changed) {
      const result = await setMunicipalityCall.run({
        code: municipality.code,
        name: municipality.name,
        region: municipality.region,
        etapp2: wanted(municipality),
      });
      if (!result.ok) {
        failed = true;
        setErrors({ [municipality.code]: result.error.fields?.etapp2 ?? result.error.message });
        boxes.current.get(municipality.code)?.focus();
        break;
      }
      latest = result.value;
    }
    setSaving(false);
    if (latest) onSaved(latest);
    if (!failed) setNotice(t('organisation.municipalities.saved'));
  };

  return (
    <>
      <h2>{t('organisation.municipalities.title')}</h2>
      <p className={styles.orgRule}>{t('organisation.municipalities.etapp2Help')}</p>
      <p className={styles.orgIntro} data-testid="etapp2-now">
        {participating.length ? t('organisation.municipalities.participating', { list }) : t('organisation.municipalities.participatingNone')}
      </p>
      <form onSubmit={(event) => void save(event)} noValidate>
        <table className={`table ${styles.orgTable}`}>
          <caption>{t('organisation.municipalities.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('organisation.municipalities.name')}</th>
              <th scope="col">{t('organisation.municipalities.code')}</th>
              <th scope="col">{t('organisation.municipalities.etapp2')}</th>
            </tr>
          </thead>
          {REGIONS.map((region) => {
            const members = org.municipalities.filter((municipality) => municipality.region === region).sort(byName);
            if (members.length === 0) return null;
            return (
              <tbody key={region}>
                <tr className={styles.orgRegion}>
                  <th scope="rowgroup" colSpan={3}>
                    {region === 'other'
                      ? t('organisation.municipalities.regionOther')
                      : t('organisation.municipalities.region', {
                          region: t(`organisation.municipalities.regions.${region}`),
                          count: members.length,
                        })}
                  </th>
                </tr>
                {members.map((municipality) => (
                  <tr key={municipality.code} className={wanted(municipality) !== municipality.etapp2 ? styles.orgRowChanged : undefined}>
                    <th scope="row">{municipality.name}</th>
                    <td className={styles.orgCode}>
                      {municipality.code === 'other' ? t('organisation.municipalities.otherCode') : municipality.code}
                    </td>
                    <td>
                      {municipality.code === 'other' ? (
                        <span className={styles.orgMuted}>{t('organisation.municipalities.notApplicable')}</span>
                      ) : (
                        <CellCheckbox
                          label={t('organisation.municipalities.etapp2For', { name: municipality.name })}
                          checked={wanted(municipality)}
                          error={errors[municipality.code] ? translateMessage(errors[municipality.code]) : undefined}
                          ref={(element: HTMLInputElement | null) => {
                            if (element) boxes.current.set(municipality.code, element);
                            else boxes.current.delete(municipality.code);
                          }}
                          onChange={(event) => {
                            const checked = event.target.checked;
                            setDraft((current) => ({ ...current, [municipality.code]: checked }));
                            setNotice(null);
                          }}
                        />
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            );
          })}
        </table>
        <SavedNotice message={notice} />
        <div className={styles.orgFormActions}>
          <button type="submit" className="button button--primary" disabled={saving}>
            {t('organisation.municipalities.save')}
          </button>
          {changed.length ? <span className={styles.orgUnsaved}>{t('organisation.municipalities.unsaved', { count: changed.length })}</span> : null}
        </div>
      </form>
    </>
  );
}
