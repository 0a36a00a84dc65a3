import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { LINK_KINDS, type ChannelOutput } from '../../../preload/contract/index';
import { call } from '../../ui/api';
import { useDesk } from '../../ui/desk';
import { Field, SelectField } from '../../ui/Field';

export type LinkCandidate = ChannelOutput<'clients.findForLink'>[number];
export type LinkKind = (typeof LINK_KINDS)[number];

/** A client found for linking: of this side by initials, birth year and track; of the other side only as such. */
export function describeCandidate(t: TFunction, candidate: LinkCandidate): string {
  if (candidate.otherSide || !candidate.track) return t('reception.intake.linkFoundOtherSide');
  return t('reception.intake.linkFound', {
    initials: candidate.initials ?? '',
    year: candidate.birthYear ?? '–',
    track: t(`tracks.${candidate.track}`),
  });
}

/**
 * The deliberate look across sides to record a known relation: exact name or identity number, a
 * relation kind, and a minimal answer to choose from. `onChoose` answers true when the choice took.
 */
export function LinkFinder({
  excludeId,
  onChoose,
}: {
  excludeId?: string;
  onChoose: (candidate: LinkCandidate, kind: LinkKind) => boolean | Promise<boolean>;
}) {
  const { t } = useTranslation();
  const { side } = useDesk();
  const [query, setQuery] = useState('');
  const [kind, setKind] = useState<LinkKind>('partner');
  const [found, setFound] = useState<LinkCandidate[] | null>(null);
  const find = async () => {
    if (query.trim().length < 2) return;
    const result = await call('clients.findForLink', { side, query });
    setFound(result.ok ? result.value.filter((candidate) => candidate.id !== excludeId) : []);
  };
  const choose = async (candidate: LinkCandidate) => {
    if (!(await onChoose(candidate, kind))) return;
    setFound(null);
    setQuery('');
  };
  return (
    <>
      <div className="inline-search">
        <Field
          label={t('reception.intake.linkSearch')}
          value={query}
          autoComplete="off"
          onChange={(event) => setQuery(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter') {
              event.preventDefault();
              void find();
            }
          }}
        />
        <SelectField
          label={t('reception.intake.linkKind')}
          value={kind}
          onChange={(event) => setKind(event.target.value as LinkKind)}
          options={LINK_KINDS.map((value) => ({ value, label: t(`linkKinds.${value}`) }))}
        />
        <button type="button" className="button" onClick={() => void find()}>
          {t('reception.intake.linkFind')}
        </button>
      </div>
      {found?.length === 0 ? <p role="status">{t('reception.intake.linkNone')}</p> : null}
      {found && found.length > 0 ? (
        <ul className="links" role="status">
          {found.map((candidate) => (
            <li key={candidate.id}>
              {describeCandidate(t, candidate)}{' '}
              <button type="button" className="button button--small" onClick={() => void choose(candidate)}>
                {t('reception.intake.linkAdd')}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
