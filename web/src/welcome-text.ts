import { useEffect, useState } from 'react';
import type { PublicPortalTexts } from '../../api/settings-screens.js';
import { rawApi } from './api.js';

/**
 * The sign-in page's welcome text (Paramètres › Portail, GET /api/public/portal), plain text
 * rendered by React as text: whatever the admin typed, no markup reaches the page.
 */
export function useWelcomeText(): string {
  const [text, setText] = useState('');
  useEffect(() => {
    let live = true;
    rawApi
      .get<PublicPortalTexts>('/api/public/portal')
      .then((t) => {
        if (live && typeof t.welcomeText === 'string') setText(t.welcomeText);
      })
      .catch(() => {
        /* no text: the page stands without it */
      });
    return () => {
      live = false;
    };
  }, []);
  return text;
}
