import path from 'node:path';

/**
 * What the person starting eTicket reads when the database or its folder cannot be used:
 * one French sentence naming the folder and what to check, never a stack trace.
 */
export class StartupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StartupError';
  }
}

function codeOf(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (typeof e?.code === 'string') return e.code;
  // knex wraps some driver errors; the SQLite code is then only in the message.
  const m = /\b(SQLITE_[A-Z_]+|E[A-Z]{3,})\b/.exec(String(e?.message ?? ''));
  return m?.[1] ?? '';
}

export function explainStartupError(err: unknown, where: { dataDir: string; port?: number }): StartupError {
  if (err instanceof StartupError) return err;
  const code = codeOf(err);
  const dir = `« ${where.dataDir} »`;
  const db = `« ${path.join(where.dataDir, 'eticket.sqlite')} »`;
  let message: string;
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS' || code === 'EACCES' || code === 'EPERM') {
    message =
      `eTicket ne peut pas démarrer : la base de données ${db} est en lecture seule (disque protégé en écriture, ` +
      `ou droits insuffisants sur le dossier des données ${dir}). Donnez les droits d’écriture sur ce dossier ` +
      'ou choisissez-en un autre avec ETICKET_DATA_DIR, puis relancez.';
  } else if (code.startsWith('SQLITE_CANTOPEN') || code === 'ENOENT' || code === 'ENOTDIR') {
    message =
      `eTicket ne peut pas démarrer : impossible de créer ou d’ouvrir la base de données dans le dossier ${dir} ` +
      '(dossier absent, inaccessible ou en lecture seule). Vérifiez ce dossier ou choisissez-en un autre avec ETICKET_DATA_DIR.';
  } else if (code.startsWith('SQLITE_FULL') || code === 'ENOSPC' || code === 'EDQUOT') {
    message = `eTicket ne peut pas démarrer : le disque du dossier des données ${dir} est plein. Libérez de la place, puis relancez.`;
  } else if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB')) {
    message = `eTicket ne peut pas démarrer : le fichier ${db} n’est pas une base eTicket lisible. Restaurez une sauvegarde ou prévenez votre prestataire.`;
  } else if (code === 'EADDRINUSE') {
    message = `eTicket ne peut pas démarrer : le port ${where.port ?? ''} est déjà utilisé, sans doute par un autre eTicket ouvert. Fermez-le ou choisissez un autre port avec PORT.`;
  } else {
    message = `eTicket ne peut pas démarrer : ${err instanceof Error ? err.message : String(err)}`;
  }
  return new StartupError(message, { cause: err });
}
