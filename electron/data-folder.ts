// Prepares the bundled server's data folder before it starts: moves an old, unmarked
// userData/data (the demo of earlier versions) out of the commune's way, then checks and
// writes the folder's mode marker. Node only (no Electron), so tested on a temp folder.
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './desktop-config.js';
import { checkDataFolder, DATABASE_FILE, dataDirFor, legacyDataMove, markerText, MODE_MARKER, type FolderState, type LaunchPlan } from './launch.js';

function folderState(dir: string): FolderState {
  let marker: string | null = null;
  try {
    marker = fs.readFileSync(path.join(dir, MODE_MARKER), 'utf8');
  } catch {
    marker = null;
  }
  return { marker, hasDatabase: fs.existsSync(path.join(dir, DATABASE_FILE)) };
}

export class DataFolderError extends Error {
  override name = 'DataFolderError';
}

/** Returns a French line for the log when an old folder was moved; throws DataFolderError on a mix. */
export function prepareDataFolder(plan: Extract<LaunchPlan, { kind: 'bundled' }>, userData: string, now: Date = new Date()): string | null {
  let note: string | null = null;
  if (!plan.customFolder) {
    const commune = dataDirFor(userData, false);
    const move = legacyDataMove(folderState(commune), fs.existsSync(dataDirFor(userData, true)), now);
    if (move) {
      const target = path.join(userData, move);
      fs.renameSync(commune, target);
      writeFileAtomic(path.join(target, MODE_MARKER), markerText(true));
      note = `Anciennes données de démonstration déplacées de ${commune} vers ${target}`;
    }
  }
  const decision = checkDataFolder(folderState(plan.dataDir), plan.demo, plan.customFolder);
  if (decision.action === 'refuse') throw new DataFolderError(`${decision.message}\n\nDossier : ${plan.dataDir}`);
  if (decision.action === 'mark') writeFileAtomic(path.join(plan.dataDir, MODE_MARKER), markerText(plan.demo));
  return note;
}
