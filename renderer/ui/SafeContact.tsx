import { useTranslation } from 'react-i18next';
import type { ClientSummary } from '../../preload/contract/index';
import { useDesk } from './desk';

/**
 * A phone number never stands alone: wherever it is shown, how it may be used is shown beside it.
 * Discreet mode hides the number itself.
 */
export function PhoneWithInstructions({
  client,
  revealed = false,
}: {
  client: Pick<ClientSummary, 'phone' | 'safeContact' | 'protectedIdentity'>;
  revealed?: boolean;
}) {
  const { t } = useTranslation();
  const { discreet } = useDesk();
  if (client.protectedIdentity && !client.phone) return <span className="protected">{t('safeContact.protected')}</span>;
  if (!client.phone) return null;
  const safe = client.safeContact;
  const yesNo = (value: boolean | undefined, label: string) => (
    <li className={value ? 'safe safe--yes' : 'safe safe--no'}>
      {label}: {value ? '✓' : `✗ ${t('safeContact.notSafe')}`}
    </li>
  );
  return (
    <div className="phone">
      <span className="phone__number">{discreet && !revealed ? '••• •• ••' : client.phone}</span>
      <ul className="phone__rules">
        {yesNo(safe?.safeToCall, t('safeContact.call'))}
        {yesNo(safe?.safeToText, t('safeContact.text'))}
        {yesNo(safe?.safeVoicemail, t('safeContact.voicemail'))}
        {safe?.safeTimes ? (
          <li>
            {t('safeContact.times')}: {safe.safeTimes}
          </li>
        ) : null}
        {safe?.codeWord && (!discreet || revealed) ? (
          <li>
            {t('safeContact.codeWord')}: {safe.codeWord}
          </li>
        ) : null}
        {safe?.instructions ? (
          <li>
            {t('safeContact.instructions')}: {safe.instructions}
          </li>
        ) : null}
      </ul>
    </div>
  );
}
