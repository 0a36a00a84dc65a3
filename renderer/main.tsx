import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { initI18n } from './i18n';
import { markKitStylesPresent } from './ui/kit';
import './ui/styles.css';
import './ui/tokens.css';

initI18n();
markKitStylesPresent();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
