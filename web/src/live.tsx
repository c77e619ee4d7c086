import { createContext, useCallback, useContext, useRef, useState, type ReactNode } from 'react';

/**
 * Two live regions for the whole app: a polite one ("Cantine réservée pour Julia le lundi 09/03")
 * and an assertive one for refusals. Screen readers announce changes of their text.
 */
type Announce = (message: string, kind?: 'status' | 'alert') => void;

const AnnounceContext = createContext<Announce>(() => {});

export function useAnnounce(): Announce {
  return useContext(AnnounceContext);
}

export function LiveRegions({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState('');
  const [alert, setAlert] = useState('');
  const timer = useRef<number | undefined>(undefined);
  const announce = useCallback<Announce>((message, kind = 'status') => {
    const set = kind === 'alert' ? setAlert : setStatus;
    // Clear first so that the same message twice is announced twice.
    set('');
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => set(message), 50);
  }, []);
  return (
    <AnnounceContext.Provider value={announce}>
      {children}
      <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="live-status">
        {status}
      </div>
      <div className="visually-hidden" role="alert" aria-live="assertive" aria-atomic="true">
        {alert}
      </div>
    </AnnounceContext.Provider>
  );
}
