import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrgView } from '../../../preload/contract/index';
import { translateMessage } from '../../i18n';
import { useChannelMutation } from '../../ui/query';
import { CellCheckbox, SavedNotice } from './cells';
import { byName, type Municipality, type OnOrgSaved } from './model';
import styles from './organisation.module.css';

const REGIONS = ['skaraborg', 'sodra_alvsborg', 'other'] as const;
/** The tracks with an Etapp 2, each a setting of its own per municipality: the women's and the children's. */
const TRACKS = ['etapp2', 'etapp2Children'] as const;
type Etapp2Field = (typeof TRACKS)[number];
type Participation = Record<Etapp2Field, boolean>;

/**
 * The municipalities of the two areas with their official codes, and which of them take part in
 * the women's and in the children's Etapp 2. Ticks are collected and saved together; a refusal lands
 * on the box it concerns and every tick stays as the admin left it.
 */
export function Municipalities({ org, onSaved }: { org: OrgView; onSaved: OnOrgSaved }) {
  const { t, i18n } = useTranslation();
  const setMunicipalityCall = useChannelMutation('org.setMunicipality');
  const [draft, setDraft] = useState<Record<string, Partial<Participation>>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const boxes = useRef(new Map<string, HTMLInputElement>());

  const wanted = (municipality: Municipality, field: Etapp2Field) => draft[municipality.code]?.[field] ?? municipality[field];
  const isChanged = (municipality: Municipality) => TRACKS.some((field) => wanted(municipality, field) !== municipality[field]);
  const changed = org.municipalities.filter((municipality) => municipality.code !== 'other' && isChanged(municipality));
  const listOf = (field: Etapp2Field) =>
    new Intl.ListFormat(i18n.language, { type: 'conjunction' }).format(
      org.municipalities
        .filter((municipality) => municipality[field])
        .sort(byName)
        .map((municipality) => municipality.name),
    );

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
        etapp2: wanted(municipality, 'etapp2'),
        etapp2Children: wanted(municipality, 'etapp2Children'),
      });
      if (!result.ok) {
        failed = true;
        const field = TRACKS.find((one) => result.error.fields?.[one]) ?? 'etapp2';
        setErrors({ [`${municipality.code}:${field}`]: result.error.fields?.[field] ?? result.error.message });
        boxes.current.get(`${municipality.code}:${field}`)?.focus();
        break;
      }
      latest = result.value;
    }
    setSaving(false);
    if (latest) onSaved(latest);
    if (!failed) {
      setDraft({});
      setNotice(t('organisation.municipalities.saved'));
    }
  };

  const box = (municipality: Municipality, field: Etapp2Field) => {
    const key = `${municipality.code}:${field}`;
    return (
      <CellCheckbox
        label={t(`organisation.municipalities.${field}For`, { name: municipality.name })}
        checked={wanted(municipality, field)}
        error={errors[key] ? translateMessage(errors[key]) : undefined}
        ref={(element: HTMLInputElement | null) => {
          if (element) boxes.current.set(key, element);
          else boxes.current.delete(key);
        }}
        onChange={(event) => {
          const checked = event.target.checked;
          setDraft((current) => ({ ...current, [municipality.code]: { ...current[municipality.code], [field]: checked } }));
          setNotice(null);
        }}
      />
    );
  };

  return (
    <>
      <h2>{t('organisation.municipalities.title')}</h2>
      <p className={styles.orgRule}>{t('organisation.municipalities.etapp2Help')}</p>
      <p className={styles.orgRule}>{t('organisation.municipalities.etapp2ChildrenHelp')}</p>
      <div className={styles.orgIntro}>
        {TRACKS.map((field) => {
          const list = listOf(field);
          return (
            <p key={field} data-testid={`${field}-now`}>
              {list ? t(`organisation.municipalities.${field}Now`, { list }) : t(`organisation.municipalities.${field}None`)}
            </p>
          );
        })}
      </div>
      <form onSubmit={(event) => void save(event)} noValidate>
        <table className={`table ${styles.orgTable}`}>
          <caption>{t('organisation.municipalities.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('organisation.municipalities.name')}</th>
              <th scope="col">{t('organisation.municipalities.code')}</th>
              <th scope="col">{t('organisation.municipalities.etapp2')}</th>
              <th scope="col">{t('organisation.municipalities.etapp2Children')}</th>
            </tr>
          </thead>
          {REGIONS.map((region) => {
            const members = org.municipalities.filter((municipality) => municipality.region === region).sort(byName);
            if (members.length === 0) return null;
            return (
              <tbody key={region}>
                <tr className={styles.orgRegion}>
                  <th scope="rowgroup" colSpan={4}>
                    {region === 'other'
                      ? t('organisation.municipalities.regionOther')
                      : t('organisation.municipalities.region', {
                          region: t(`organisation.municipalities.regions.${region}`),
                          count: members.length,
                        })}
                  </th>
                </tr>
                {members.map((municipality) => (
                  <tr key={municipality.code} className={isChanged(municipality) ? styles.orgRowChanged : undefined}>
                    <th scope="row">{municipality.name}</th>
                    <td className={styles.orgCode}>
                      {municipality.code === 'other' ? t('organisation.municipalities.otherCode') : municipality.code}
                    </td>
                    {TRACKS.map((field) => (
                      <td key={field}>
                        {municipality.code === 'other' ? (
                          <span className={styles.orgMuted}>{t('organisation.municipalities.notApplicable')}</span>
                        ) : (
                          box(municipality, field)
                        )}
                      </td>
                    ))}
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
