import { drawCashJournal } from './cash-journal.js';
import { drawChequeDeposit } from './cheque-deposit.js';
import { drawChildcareCertificate, drawPresenceCertificate } from './certificates.js';
import { drawCatererOrder } from './caterer-order.js';
import { drawInvoice, drawStatement } from './invoice.js';
import { drawMealList } from './meal-list.js';
import { drawReceipt } from './receipt.js';
import { drawReminderLetters } from './reminder-letter.js';
import { drawVersement } from './versement.js';
import { drawWelcomeLetter } from './welcome-letter.js';

/** The papers a PDF worker draws, by the name renderOffThread gives (core/pdf/off-thread.ts). */
export const PAPERS = {
  mealList: drawMealList,
  cashJournal: drawCashJournal,
  receipt: drawReceipt,
  invoice: drawInvoice,
  statement: drawStatement,
  welcomeLetter: drawWelcomeLetter,
  reminderLetters: drawReminderLetters,
  chequeDeposit: drawChequeDeposit,
  versement: drawVersement,
  childcareCertificate: drawChildcareCertificate,
  presenceCertificate: drawPresenceCertificate,
  catererOrder: drawCatererOrder,
};
