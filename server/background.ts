import type { ServerDeps } from './app.js';

export interface BackgroundJobs {
  stop(): Promise<void>;
}

// Placeholder: the outbox sender and the PayFiP pending-payment checker come with the payment issue.
export function startBackgroundJobs(_deps: ServerDeps): BackgroundJobs {
  return { stop: async () => {} };
}
