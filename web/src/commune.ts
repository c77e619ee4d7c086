import { useEffect, useState } from 'react';
import type { PublicCommune } from '../../api/commune-identity.js';
import { api } from './api.js';

/**
 * The commune's public identity ('public.commune'), fetched once per page load and shared
 * by the header, the footer, the title and the sign-in help: the portal names no commune itself.
 */
const BLANK: PublicCommune = { name: '', department: '', address: [], service: '', email: '', phone: '', website: '' };
let loaded: Promise<PublicCommune> | null = null;

export function useCommune(): PublicCommune {
  const [commune, setCommune] = useState<PublicCommune>(BLANK);
  useEffect(() => {
    let live = true;
    loaded ??= api.call('public.commune').catch(() => {
      loaded = null; // try again on the next page
      return BLANK;
    });
    void loaded.then((c) => {
      if (live) setCommune(c);
    });
    return () => {
      live = false;
    };
  }, []);
  return commune;
}

/** "05 53 22 24 13" -> "+33553222413" for a tel: link. */
export function telHref(phone: string): string {
  const digits = phone.replace(/[^\d+]/g, '');
  return `tel:${digits.startsWith('0') ? `+33${digits.slice(1)}` : digits}`;
}
