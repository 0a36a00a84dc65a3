import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role, SessionUser } from '../../preload/contract/index';
import { Dialog } from '../ui/Dialog';
import styles from './app.module.css';

interface Shortcut {
  keys: string[][];
  what: string;
  /** Who the key is for; empty: everyone signed in. */
  roles: Role[];
}

interface Group {
  title: string;
  shortcuts: Shortcut[];
}

/** Every key the app answers to, for the roles the person holds: opened with "?", closed with Esc. */
export function ShortcutsDialog({ user, onClose }: { user: SessionUser; onClose: () => void }) {
  const { t } = useTranslation();
  const groups: Group[] = [
    {
      title: 'everywhere',
      shortcuts: [
        { keys: [['Ctrl', 'L']], what: 'lock', roles: [] },
        { keys: [['?']], what: 'help', roles: [] },
        { keys: [['Alt', 'N']], what: 'newFirstCall', roles: ['receptionist'] },
        { keys: [['Alt', 'S']], what: 'side', roles: ['receptionist', 'therapist'] },
        { keys: [['Alt', 'D']], what: 'discreet', roles: ['receptionist', 'therapist'] },
        { keys: [['Tab'], ['Shift', 'Tab']], what: 'tab', roles: [] },
        { keys: [['Esc']], what: 'escape', roles: [] },
      ],
    },
    { title: 'lists', shortcuts: [{ keys: [['V']], what: 'reveal', roles: ['receptionist', 'therapist'] }] },
    {
      title: 'schedule',
      shortcuts: [
        { keys: [['N']], what: 'book', roles: ['receptionist'] },
        { keys: [['T']], what: 'today', roles: ['receptionist', 'therapist'] },
        { keys: [['Page Up'], ['Page Down']], what: 'page', roles: ['receptionist', 'therapist'] },
        { keys: [['↑'], ['↓']], what: 'arrows', roles: ['receptionist', 'therapist'] },
      ],
    },
    { title: 'journal', shortcuts: [{ keys: [['Ctrl', 'S']], what: 'saveDraft', roles: ['therapist'] }] },
  ];
  const mine = (shortcut: Shortcut) => shortcut.roles.length === 0 || shortcut.roles.some((role) => user.roles.includes(role));
  return (
    <Dialog title={t('start.keys.title')} onClose={onClose} wide testId="shortcuts-dialog">
      {groups
        .map((group) => ({ ...group, shortcuts: group.shortcuts.filter(mine) }))
        .filter((group) => group.shortcuts.length > 0)
        .map((group) => (
          <section key={group.title} aria-labelledby={`keys-${group.title}`}>
            <h3 id={`keys-${group.title}`}>{t(`start.keys.groups.${group.title}`)}</h3>
            <dl className={styles.shortcuts}>
              {group.shortcuts.map((shortcut) => (
                <Fragment key={shortcut.what}>
                  <dt>
                    {shortcut.keys.map((combo, index) => (
                      <Fragment key={combo.join('+')}>
                        {index > 0 ? ` ${t('start.keys.or')} ` : null}
                        {combo.map((key, keyIndex) => (
                          <Fragment key={key}>
                            {keyIndex > 0 ? ' + ' : null}
                            <kbd>{key}</kbd>
                          </Fragment>
                        ))}
                      </Fragment>
                    ))}
                  </dt>
                  <dd>{t(`start.keys.what.${shortcut.what}`)}</dd>
                </Fragment>
              ))}
            </dl>
          </section>
        ))}
      <div className="actions">
        <button type="button" className="button button--primary" data-autofocus onClick={onClose}>
          {t('start.keys.close')}
        </button>
      </div>
    </Dialog>
  );
}
