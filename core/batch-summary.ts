import type {
  BatchDoneSummary,
  BatchKind,
  BatchPart,
  BatchPreviewResponse,
  BatchRefusedCell,
  BatchWalletTotal,
  WalletBalanceView,
} from '../api/parent.js';
import { cellKey, type BatchPlan, type PlannedCell } from './batch-plan.js';
import { formatDateFr } from './dates.js';
import { formatCents } from './money.js';

/**
 * A batch plan in the parent's words: "12 réservations, 37,20 € sur Restauration scolaire",
 * what is refused and why, and the payable part's question ("Réserver sans le bus ?"). The
 * preview and the batch's answer are both worded here from the same plan.
 */

const plural = (n: number, one: string, many: string): string => `${n} ${n > 1 ? many : one}`;

/** "le bus", "la cantine", "la garderie soir": the activity as a sentence names it. */
export function activityInSentence(name: string): string {
  const lower = name.toLocaleLowerCase('fr-FR');
  if (/^(bus|transport)\b/.test(lower)) return `le ${lower}`;
  if (/^(cantine|garderie|restauration)\b/.test(lower)) return `la ${lower}`;
  return `« ${name} »`;
}

function walletText(w: Omit<BatchWalletTotal, 'text'>): string {
  const parts: string[] = [];
  if (w.bookCount > 0) parts.push(`${plural(w.bookCount, 'réservation', 'réservations')}, ${formatCents(w.debitCents)} sur ${w.walletLabel}`);
  if (w.cancelCount > 0) {
    const word = w.refundCents >= 200 ? 'remboursés' : 'remboursé';
    parts.push(`${plural(w.cancelCount, 'annulation', 'annulations')}, ${formatCents(w.refundCents)} ${word}${w.bookCount > 0 ? '' : ` sur ${w.walletLabel}`}`);
  }
  return parts.join(' ; ');
}

/** The cells' totals per wallet, in the order of the family's wallets. */
export function partOf(cells: readonly PlannedCell[], balances: readonly WalletBalanceView[]): BatchPart {
  const wallets: BatchWalletTotal[] = [];
  for (const b of balances) {
    const mine = cells.filter((p) => p.activity.walletId === b.walletId);
    if (mine.length === 0) continue;
    const books = mine.filter((p) => p.change.action === 'book');
    const cancels = mine.filter((p) => p.change.action === 'cancel');
    const debitCents = books.reduce((s, p) => s + p.priceCents, 0);
    const refundCents = cancels.reduce((s, p) => s + p.amountCents, 0);
    const w = {
      walletId: b.walletId, walletLabel: b.label, bookCount: books.length, debitCents, cancelCount: cancels.length, refundCents,
      balanceCents: b.balanceCents, balanceAfterCents: b.balanceCents - debitCents + refundCents,
    };
    wallets.push({ ...w, text: walletText(w) });
  }
  const sum = (f: (w: BatchWalletTotal) => number) => wallets.reduce((s, w) => s + f(w), 0);
  return {
    bookCount: sum((w) => w.bookCount),
    cancelCount: sum((w) => w.cancelCount),
    debitCents: sum((w) => w.debitCents),
    refundCents: sum((w) => w.refundCents),
    wallets,
    text: wallets.length > 0 ? wallets.map((w) => w.text).join(' ; ') : 'Aucun changement.',
  };
}

function refusedCells(plan: BatchPlan): BatchRefusedCell[] {
  const out: BatchRefusedCell[] = [];
  for (const c of plan.changes) {
    const o = plan.outcomes.get(cellKey(c.childId, c.activityId, c.date));
    if (o?.outcome !== 'refused') continue;
    const message = o.message ?? 'Modification refusée';
    const activity = plan.activities.get(c.activityId)?.name ?? '';
    out.push({ ...c, message, text: `${activity} — ${plan.childNames.get(c.childId) ?? ''} — ${formatDateFr(c.date)} : ${message}` });
  }
  return out;
}

/** "Réserver sans le bus ?", "Réserver seulement la cantine (8 réservations, 24,80 €) ?" */
function payableQuestion(plan: BatchPlan, part: BatchPart): string {
  const amount = `${plural(part.bookCount, 'réservation', 'réservations')}, ${formatCents(part.debitCents)}`;
  if (part.bookCount === 0) return `Faire seulement les annulations (${plural(part.cancelCount, 'annulation', 'annulations')}, ${formatCents(part.refundCents)} remboursés) ?`;
  const names = (cells: readonly PlannedCell[]) => [...new Set(cells.filter((p) => p.change.action === 'book').map((p) => p.activity.name))];
  const kept = names(plan.selected);
  const dropped = names(plan.leftForCredit);
  // Whole activities left out read as "sans le bus"; a wallet that pays part of its days, as a date.
  if (!dropped.some((n) => kept.includes(n))) {
    if (kept.length === 1) return `Réserver seulement ${activityInSentence(kept[0]!)} (${amount}) ?`;
    return `Réserver sans ${dropped.map(activityInSentence).join(' ni ')} (${amount}) ?`;
  }
  const lastKept = plan.selected.filter((p) => p.change.action === 'book').reduce((d, p) => (p.change.date > d ? p.change.date : d), '');
  return `Réserver seulement ce que le solde permet, jusqu’au ${formatDateFr(lastKept)} (${amount}) ?`;
}

/** The preview's answer; `plan` must come from planBatch with nothing written since. */
export function previewOf(kind: BatchKind, plan: BatchPlan): BatchPreviewResponse {
  const full = partOf(plan.planned, plan.balancesBefore);
  const payable = plan.shortfalls.length === 0;
  const missing = plan.shortfalls.map((s) => ({
    walletId: s.walletId, walletLabel: s.walletLabel, missingCents: s.missingCents,
    text: `Il manque ${formatCents(s.missingCents)} sur ${s.walletLabel}.`,
  }));
  let payablePart: BatchPreviewResponse['payablePart'] = null;
  if (!payable && plan.selected.length > 0) {
    const part = partOf(plan.selected, plan.balancesBefore);
    payablePart = { ...part, question: payableQuestion(plan, part), leftCount: plan.leftForCredit.length };
  }
  return { kind, full, refused: refusedCells(plan), payable, missing, payablePart };
}

/** What a written batch did, worded as its preview; `balances` are the balances before it. */
export function doneSummary(plan: BatchPlan, balancesBefore: readonly WalletBalanceView[] = plan.balancesBefore): BatchDoneSummary {
  const part = partOf(plan.selected, balancesBefore);
  const left = plan.leftForCredit.length;
  const labels = [...new Set(plan.leftForCredit.map((p) => plan.shortfalls.find((s) => s.walletId === p.activity.walletId)?.walletLabel ?? ''))];
  return {
    ...part,
    leftForCredit: left,
    ...(left > 0 ? { notice: `Solde insuffisant sur ${labels.join(', ')} : ${plural(left, 'case n’a pas été réservée', 'cases n’ont pas été réservées')}.` } : {}),
  };
}
