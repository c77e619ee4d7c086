// The desktop app's stored choice (first run): demo, the commune's own data on this computer,
// or the commune's central server. One small JSON file in userData, validated on every read
// (a corrupt or hand-edited file means "ask again"), written atomically (temp file + rename)
// so a crash mid-write never leaves half a file. No Electron import: unit-tested under Node.
import fs from 'node:fs';
import path from 'node:path';
import type { FirstRunChoice } from '../api/desktop.js';
import { parseServerAddress } from './central-server.js';

export type DesktopChoice = FirstRunChoice;

export interface DesktopConfig {
  version: 1;
  choice: DesktopChoice;
  savedAt: string;
}

export const CONFIG_FILE_NAME = 'eticket-bureau.json';

export function configPath(userData: string): string {
  return path.join(userData, CONFIG_FILE_NAME);
}

/** A choice as the first-run page or the file holds it; null for anything else. */
export function parseChoice(value: unknown): DesktopChoice | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  if (v.mode === 'demo') return { mode: 'demo' };
  if (v.mode === 'commune') return { mode: 'commune' };
  if (v.mode === 'central' && typeof v.address === 'string') {
    const parsed = parseServerAddress(v.address);
    return parsed.ok ? { mode: 'central', address: parsed.origin } : null;
  }
  return null;
}

/** The file's text → a config, or null (missing, not JSON, wrong version, bad choice). */
export function parseConfig(text: string | null): DesktopConfig | null {
  if (text === null || text.length > 10_000) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (!raw || typeof raw !== 'object') return null;
  const r = raw as Record<string, unknown>;
  if (r.version !== 1) return null;
  const choice = parseChoice(r.choice);
  if (!choice) return null;
  return { version: 1, choice, savedAt: typeof r.savedAt === 'string' ? r.savedAt : '' };
}

export function serializeConfig(choice: DesktopChoice, now: Date = new Date()): string {
  const config: DesktopConfig = { version: 1, choice, savedAt: now.toISOString() };
  return `${JSON.stringify(config, null, 2)}\n`;
}

export function readConfig(file: string): DesktopConfig | null {
  let text: string | null;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    text = null;
  }
  return parseConfig(text);
}

/** Writes next to the target, flushes, then renames over it: readers see the old or the new file, never a mix. */
export function writeFileAtomic(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    const fd = fs.openSync(tmp, 'w', 0o600);
    try {
      fs.writeFileSync(fd, text, 'utf8');
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

export function saveConfig(file: string, choice: DesktopChoice, now: Date = new Date()): void {
  const valid = parseChoice(choice);
  if (!valid) throw new Error('Choix invalide');
  writeFileAtomic(file, serializeConfig(valid, now));
}

/** A French one-liner for logs and the first-run page's "Garder le mode actuel". */
export function describeChoice(choice: DesktopChoice): string {
  if (choice.mode === 'demo') return 'Démonstration';
  if (choice.mode === 'commune') return 'Ma commune (serveur intégré)';
  return `Serveur de la commune (${choice.address})`;
}
