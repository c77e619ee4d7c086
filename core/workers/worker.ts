import { parentPort, workerData } from 'node:worker_threads';

/**
 * The one entry of eTicket's worker threads (core/workers/pool.ts). Each message names a group
 * of tasks and a task in it; a group's code is loaded on its first task, so a hashing worker
 * never loads pdf-lib: papers (pdf), password hashes (hash), a backup's SQLite work (backup). Bytes go back transferred, not copied.
 */

type Handler = (...args: never[]) => unknown;
type Group = Record<string, Handler>;

const groups: Record<string, () => Promise<Group>> = {
  pdf: async () => {
    const [{ provideFontBytes }, { PAPERS }] = await Promise.all([import('../pdf/document.js'), import('../pdf/papers.js')]);
    const fonts = (workerData as { fonts?: Parameters<typeof provideFontBytes>[0] } | null)?.fonts;
    if (fonts) provideFontBytes(fonts);
    return PAPERS as unknown as Group;
  },
  hash: async () => (await import('./hash-tasks.js')).HASH_TASKS as unknown as Group,
  backup: async () => (await import('./backup-tasks.js')).BACKUP_TASKS as unknown as Group,
};
const loaded = new Map<string, Promise<Group>>();

function transferable(value: unknown): ArrayBuffer[] {
  // A view over a whole buffer of its own is moved; a slice of Node's shared pool is copied.
  if (value instanceof Uint8Array && value.byteOffset === 0 && value.byteLength === value.buffer.byteLength && value.buffer instanceof ArrayBuffer) {
    return [value.buffer];
  }
  return [];
}

parentPort!.on('message', async (msg: { group: string; kind: string; args: unknown[] }) => {
  try {
    const load = groups[msg.group];
    if (!load) throw new Error(`Groupe de tâches inconnu : ${msg.group}`);
    let group = loaded.get(msg.group);
    if (!group) loaded.set(msg.group, (group = load()));
    const handler = (await group)[msg.kind];
    if (!handler) throw new Error(`Tâche inconnue : ${msg.group}/${msg.kind}`);
    const value = await (handler as (...args: unknown[]) => unknown)(...msg.args);
    parentPort!.postMessage({ ok: true, value }, transferable(value));
  } catch (err) {
    const e = err as { message?: string; name?: string; code?: string };
    parentPort!.postMessage({ ok: false, message: String(e?.message ?? err), name: e?.name, code: e?.code });
  }
});
