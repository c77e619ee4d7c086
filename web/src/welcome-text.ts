import { useEffect, useState } from 'react';
import { api } from './api.js';

/**
 * The sign-in page's welcome text (Paramètres › Portail, 'public.portal'), plain text
 * rendered by React as text: whatever the admin typed, no markup reaches the page.
 */
export function useWelcomeText(): string {
  const [text, setText] = useState('');
  useEffect(() => {
    let live = true;
    api
      .call('public.portal')
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
