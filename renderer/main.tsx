// The global sheets first, so that a feature's CSS module, loaded with the feature, overrides the kit's rules.
import './ui/tokens.css';
import './ui/styles.css';
import './ui/forms.css';
import './ui/buttons.css';
import './ui/blocks.css';
import './ui/tables.css';
import './ui/tabs.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { initI18n } from './i18n';
import { markKitStylesPresent } from './ui/kit';

initI18n();
markKitStylesPresent();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
