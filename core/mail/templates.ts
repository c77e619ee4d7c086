/**
 * The product's mails, in French, as plain text and HTML. Each function returns what
 * enqueueMail needs besides the kind and the recipient; it does no I/O.
 */
import { formatCentsPlain } from '../money.js';
import { parisDateOf, parisTimeOf } from '../dates.js';
import { mairieTitle } from '../../api/commune.js';

export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

/**
 * Who signs the mails: the commune's name and its service's e-mail and phone, from the `commune`
 * setting (core/mail/commune.ts loads it); a template without one is signed by the service alone.
 */
export interface MailCommune {
  /** "Eysines": the commune's name, empty until it is set */
  name: string;
  email: string;
  phone: string;
}

export const DEFAULT_MAIL_COMMUNE: MailCommune = { name: '', email: '', phone: '' };

/** What each template accepts besides its own fields. */
export interface WithCommune {
  commune?: MailCommune;
}

const signatureOf = (c: MailCommune) => (c.name ? `Le service périscolaire de la ${mairieTitle(c)}` : 'Le service périscolaire');

export const MAIL_SIGNATURE = signatureOf(DEFAULT_MAIL_COMMUNE);

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** "12/03/2026" from 'YYYY-MM-DD'. */
function frenchDate(date: string): string {
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
}

function frenchInstant(at: Date): string {
  return `${frenchDate(parisDateOf(at))} à ${parisTimeOf(at).replace(':', 'h')}`;
}

/** Paragraphs of plain text become <p>; a paragraph given as {link, label} becomes a button-like link. */
type Block = string | { link: string; label: string } | { rows: Array<[string, string]> };

function render(subject: string, blocks: Block[], commune: MailCommune = DEFAULT_MAIL_COMMUNE): MailContent {
  const signature = signatureOf(commune);
  const textParts: string[] = [];
  const htmlParts: string[] = [];
  for (const b of blocks) {
    if (typeof b === 'string') {
      textParts.push(b);
      htmlParts.push(`<p style="margin:0 0 1em">${escapeHtml(b).replace(/\n/g, '<br>')}</p>`);
    } else if ('link' in b) {
      textParts.push(`${b.label} :\n${b.link}`);
      htmlParts.push(
        `<p style="margin:1.5em 0"><a href="${escapeHtml(b.link)}" style="background:#000091;color:#ffffff;padding:10px 18px;border-radius:4px;text-decoration:none;display:inline-block">${escapeHtml(b.label)}</a></p>` +
          `<p style="margin:0 0 1em;font-size:13px;color:#555">Si le bouton ne fonctionne pas, copiez cette adresse dans votre navigateur :<br>${escapeHtml(b.link)}</p>`,
      );
    } else {
      textParts.push(b.rows.map(([k, v]) => `${k} : ${v}`).join('\n'));
      htmlParts.push(
        '<table style="border-collapse:collapse;margin:0 0 1em">' +
          b.rows
            .map(([k, v]) => `<tr><td style="padding:4px 12px 4px 0;color:#555">${escapeHtml(k)}</td><td style="padding:4px 0"><strong>${escapeHtml(v)}</strong></td></tr>`)
            .join('') +
          '</table>',
      );
    }
  }
  const reach = [commune.email, commune.phone ? `Tél. ${commune.phone}` : ''].filter(Boolean).join(' — ');
  textParts.push(`--\n${signature}${reach ? `\n${reach}` : ''}`);
  const html = `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:0;background:#f5f5fe;font-family:Arial,Helvetica,sans-serif;color:#1e1e1e;font-size:15px;line-height:1.5">
<div style="max-width:600px;margin:0 auto;background:#ffffff">
<div style="background:#000091;color:#ffffff;padding:14px 20px;font-size:18px;font-weight:bold">eTicket${commune.name ? ` — ${escapeHtml(commune.name)}` : ''}</div>
<div style="padding:20px">
${htmlParts.join('\n')}
<p style="margin:2em 0 0;font-size:13px;color:#555">${escapeHtml(signature)}${commune.email ? `<br><a href="mailto:${escapeHtml(commune.email)}">${escapeHtml(commune.email)}</a>` : ''}${commune.phone ? `${commune.email ? ' — ' : '<br>'}Tél. ${escapeHtml(commune.phone)}` : ''}</p>
</div></div></body></html>`;
  return { subject, text: textParts.join('\n\n') + '\n', html };
}

/**
 * Password reset: a single-use link that expires within the hour. Says nothing of whether other
 * accounts exist. core/auth.ts queues it.
 */
export function passwordResetMail(input: { to: string; link: string; expiresAt: Date; username?: string } & WithCommune): MailContent {
  return render('eTicket : réinitialisation de votre mot de passe', [
    'Bonjour,',
    input.username
      ? `Vous avez demandé à choisir un nouveau mot de passe pour votre compte eTicket (identifiant : ${input.username}).`
      : 'Vous avez demandé à choisir un nouveau mot de passe pour votre compte eTicket.',
    { link: input.link, label: 'Choisir un nouveau mot de passe' },
    `Ce lien ne fonctionne qu’une seule fois et expire le ${frenchInstant(input.expiresAt)}.`,
    'Si vous n’êtes pas à l’origine de cette demande, ignorez ce message : votre mot de passe reste inchangé.',
  ], input.commune);
}

export interface PaymentConfirmationInput extends WithCommune {
  amountCents: number;
  walletLabel: string;
  refdet: string;
  /** Paris local "YYYY-MM-DD HH:MM" as PayFiP gave it. */
  paidAtLocal: string | null;
  invoiceNumber: string;
  balanceCents: number;
  portalUrl: string;
  /** A payment split over several wallets: each wallet's part and its new balance. */
  parts?: Array<{ walletLabel: string; amountCents: number; balanceCents: number }>;
}

export function paymentConfirmationMail(p: PaymentConfirmationInput): MailContent {
  const amount = formatCentsPlain(p.amountCents);
  const when = p.paidAtLocal ? `${frenchDate(p.paidAtLocal.slice(0, 10))} à ${p.paidAtLocal.slice(11).replace(':', 'h')}` : '';
  return render(`eTicket : votre paiement de ${amount} est confirmé`, [
    'Bonjour,',
    `Votre paiement en ligne de ${amount} a bien été reçu par le Trésor Public et votre compte eTicket est crédité.`,
    {
      rows:
        p.parts && p.parts.length > 1
          ? [
              ['Montant total', amount],
              ...p.parts.map((x): [string, string] => [`« ${x.walletLabel} »`, `${formatCentsPlain(x.amountCents)} (nouveau solde ${formatCentsPlain(x.balanceCents)})`]),
              ...(when ? ([['Date du paiement', when]] as Array<[string, string]>) : []),
              ['Référence', p.refdet],
              ['Facture', p.invoiceNumber],
            ]
          : [
              ['Montant', amount],
              ['Porte-monnaie', p.walletLabel],
              ...(when ? ([['Date du paiement', when]] as Array<[string, string]>) : []),
              ['Référence', p.refdet],
              ['Facture', p.invoiceNumber],
              ['Nouveau solde', formatCentsPlain(p.balanceCents)],
            ],
    },
    'La facture acquittée est disponible dans « Mes factures ».',
    { link: `${p.portalUrl.replace(/\/+$/, '')}/factures`, label: 'Voir mes factures' },
  ], p.commune);
}

export interface LowBalanceInput extends WithCommune {
  familyName: string;
  walletLabel: string;
  balanceCents: number;
  thresholdCents: number;
  portalUrl: string;
}

export function lowBalanceMail(p: LowBalanceInput): MailContent {
  const balance = formatCentsPlain(p.balanceCents);
  return render(`eTicket : solde bas sur le porte-monnaie « ${p.walletLabel} »`, [
    'Bonjour,',
    `Le solde du porte-monnaie « ${p.walletLabel} » de la famille ${p.familyName} est de ${balance}, sous le seuil d’alerte de ${formatCentsPlain(p.thresholdCents)}.`,
    'Pensez à créditer votre compte pour que les prochaines réservations puissent être prises en compte : en ligne, ou au secrétariat de la Mairie.',
    { link: `${p.portalUrl.replace(/\/+$/, '')}/factures`, label: 'Créditer mon compte' },
    'Vous ne recevrez pas d’autre alerte tant que le solde ne sera pas repassé au-dessus du seuil.',
  ], p.commune);
}

export interface MessageAnswerInput extends WithCommune {
  threadSubject: string;
  portalUrl: string;
  /** When the answer was written. */
  answeredAt: Date;
}

/** A notice that something waits in "Messages": what was written stays on the portal (signed-in only). */
function messageNotice(subject: string, said: string, what: 'la réponse' | 'le message', portalUrl: string, commune?: MailCommune): MailContent {
  return render(
    subject.slice(0, 200),
    [
      'Bonjour,',
      said,
      `Pour lire ${what}, connectez-vous à votre espace eTicket, rubrique « Messages ».`,
      { link: `${portalUrl.replace(/\/+$/, '')}/messages`, label: what === 'la réponse' ? 'Lire la réponse' : 'Lire le message' },
    ],
    commune,
  );
}

/** The secretariat answered a parent's message. */
export function messageAnswerMail(p: MessageAnswerInput): MailContent {
  return messageNotice(
    `eTicket : réponse du secrétariat — ${p.threadSubject}`,
    `Le secrétariat de la Mairie a répondu le ${frenchInstant(p.answeredAt)} à votre message « ${p.threadSubject} ».`,
    'la réponse',
    p.portalUrl,
    p.commune,
  );
}

export interface MessageFromMairieInput extends WithCommune {
  threadSubject: string;
  portalUrl: string;
  /** When the secretariat wrote. */
  sentAt: Date;
}

/** The secretariat wrote first to the family (a new conversation started from the console). */
export function messageFromMairieMail(p: MessageFromMairieInput): MailContent {
  return messageNotice(
    `eTicket : message du secrétariat — ${p.threadSubject}`,
    `Le secrétariat de la Mairie vous a écrit le ${frenchInstant(p.sentAt)} : « ${p.threadSubject} ».`,
    'le message',
    p.portalUrl,
    p.commune,
  );
}

export interface ClosureCancellationInput extends WithCommune {
  familyName: string;
  /** "Grève du 12 mars" */
  closureLabel: string;
  /** One line per cancelled booking: "Cantine — Julia — jeudi 12/03/2026". */
  lines: string[];
  refundCents: number;
  portalUrl: string;
  /** Why, when it is not a closure: "Julia quitte l’école à la rentrée 2027-2028". */
  reason?: string;
}

/** A closure added by the mairie cancelled bookings: what, and that they were refunded. */
export function closureCancellationMail(p: ClosureCancellationInput): MailContent {
  const n = p.lines.length;
  return render(`eTicket : réservation${n > 1 ? 's' : ''} annulée${n > 1 ? 's' : ''} — ${p.closureLabel}`.slice(0, 200), [
    'Bonjour,',
    `${p.reason ?? `En raison de la fermeture « ${p.closureLabel} »`}, la Mairie a annulé ${n > 1 ? `${n} réservations` : 'une réservation'} de la famille ${p.familyName} :`,
    p.lines.map((l) => `• ${l}`).join('\n'),
    `${n > 1 ? 'Elles ont été remboursées' : 'Elle a été remboursée'} sur votre compte eTicket : ${formatCentsPlain(p.refundCents)}.`,
    { link: `${p.portalUrl.replace(/\/+$/, '')}/planning`, label: 'Voir mon planning' },
  ], p.commune);
}

export interface BalanceReminderInput extends WithCommune {
  familyName: string;
  /** Paris day of the reminder, 'YYYY-MM-DD'. */
  date: string;
  /** Each wallet reminded, with its balance (signed cents). */
  wallets: Array<{ label: string; balanceCents: number }>;
  portalUrl: string;
}

/** "Soldes et relances": the secretariat reminds a family of a negative or low balance, and how to pay. */
export function balanceReminderMail(p: BalanceReminderInput): MailContent {
  const negative = p.wallets.some((w) => w.balanceCents < 0);
  return render(negative ? 'eTicket : solde à régulariser' : 'eTicket : solde bas, pensez à créditer votre compte', [
    'Bonjour,',
    `Au ${frenchDate(p.date)}, le solde de la famille ${p.familyName} est le suivant :`,
    { rows: p.wallets.map((w) => [w.label, formatCentsPlain(w.balanceCents)]) },
    negative
      ? 'Un solde négatif correspond à des prestations déjà consommées et non encore payées : merci de le régulariser dans les meilleurs délais.'
      : 'Votre solde est sous le seuil d’alerte : pensez à créditer votre compte pour que les prochaines réservations puissent être prises en compte.',
    'Pour payer :\n- en ligne, par carte bancaire (paiement sécurisé du Trésor Public) : portail eTicket, rubrique « Mes factures », bouton « Créditer mon compte » ;\n- au secrétariat de la Mairie, en espèces, par chèque ou par carte bancaire.',
    { link: `${p.portalUrl.replace(/\/+$/, '')}/factures`, label: 'Créditer mon compte' },
    'Si vous avez réglé entre-temps, merci de ne pas tenir compte de ce message.',
  ], p.commune);
}
