import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { LINK_KINDS, type ChannelOutput } from '../../../preload/contract/index';
import { call } from '../../ui/api';
import { useDesk } from '../../ui/desk';
import { SelectField } from '../../ui/Field';
import { SearchPicker } from '../../ui/SearchPicker';

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
  // Bumped when an asked-for answer is in: the list of matches opens then, never while typing.
  const [answered, setAnswered] = useState(0);
  const find = async () => {
    if (query.trim().length < 2) return;
    const result = await call('clients.findForLink', { side, query });
    setFound(result.ok ? result.value.filter((candidate) => candidate.id !== excludeId) : []);
    setAnswered((count) => count + 1);
  };
  const choose = async (candidate: LinkCandidate) => {
    if (!(await onChoose(candidate, kind))) return;
    setFound(null);
    setQuery('');
  };
  return (
    <>
      <SelectField
        label={t('reception.intake.linkKind')}
        value={kind}
        onChange={(event) => setKind(event.target.value as LinkKind)}
        options={LINK_KINDS.map((value) => ({ value, label: t(`linkKinds.${value}`) }))}
      />
      {/* The look across sides is deliberate: the query goes out on Enter or the button only, never while typing. */}
      <SearchPicker<LinkCandidate>
        label={t('reception.intake.linkSearch')}
        query={query}
        onQueryChange={(next) => {
          setQuery(next);
          setFound(null);
        }}
        results={found}
        keyOf={(candidate) => candidate.id}
        textOf={(candidate) => `${describeCandidate(t, candidate)} – ${t('reception.intake.linkAdd')}`}
        renderItem={(candidate) => (
          <>
            {describeCandidate(t, candidate)} <span className="field__hint">– {t('reception.intake.linkAdd')}</span>
          </>
        )}
        onChoose={(candidate) => void choose(candidate)}
        onEnter={() => void find()}
        answerVersion={answered}
        listLabel={t('reception.intake.linkResults')}
        status={found?.length === 0 ? t('reception.intake.linkNone') : undefined}
        action={
          <button type="button" className="button" onClick={() => void find()}>
            {t('reception.intake.linkFind')}
          </button>
        }
      />
    </>
  );
}
