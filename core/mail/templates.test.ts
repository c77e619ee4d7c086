import { describe, expect, it } from 'vitest';
import { DEFAULT_MAIL_COMMUNE, lowBalanceMail, MAIL_SIGNATURE, messageAnswerMail, messageFromMairieMail, passwordResetMail, paymentConfirmationMail } from './templates.js';

describe('mail templates', () => {
  it('password reset: the link, its single use and its expiry in Paris time, in text and HTML', () => {
    const link = 'http://portail.test/reinitialisation?token=abc_DEF-123&x=1';
    const m = passwordResetMail({ to: 'a@b.fr', link, expiresAt: new Date('2026-07-14T08:45:00Z'), username: 'chantal.devret' });
    expect(m.subject).toBe('eTicket : réinitialisation de votre mot de passe');
    expect(m.text).toContain(link);
    expect(m.text).toContain('ne fonctionne qu’une seule fois');
    expect(m.text).toContain('14/07/2026 à 10h45'); // summer time: UTC+2
    expect(m.text).toContain('chantal.devret');
    expect(m.html).toContain('href="http://portail.test/reinitialisation?token=abc_DEF-123&amp;x=1"');
    expect(m.html).toContain('<html lang="fr">');
  });

  it('payment confirmation: amount, wallet, reference, invoice and new balance in French format', () => {
    const m = paymentConfirmationMail({
      amountCents: 2000,
      walletLabel: 'Restauration scolaire',
      refdet: 'ET20260302ABCDEFGHJK',
      paidAtLocal: '2026-03-02 10:05',
      invoiceNumber: 'F2026-000042',
      balanceCents: 123456,
      portalUrl: 'http://portail.test/',
    });
    expect(m.subject).toBe('eTicket : votre paiement de 20,00 € est confirmé');
    for (const part of ['20,00 €', 'Restauration scolaire', 'ET20260302ABCDEFGHJK', '02/03/2026 à 10h05', 'F2026-000042', '1 234,56 €', 'http://portail.test/factures']) {
      expect(m.text).toContain(part);
      expect(m.html).toContain(part);
    }
  });

  it('low balance: the balance, the threshold and a link to top up', () => {
    const m = lowBalanceMail({ familyName: 'DEVRET', walletLabel: 'Garderie', balanceCents: -250, thresholdCents: 1000, portalUrl: 'http://portail.test' });
    expect(m.subject).toBe('eTicket : solde bas sur le porte-monnaie « Garderie »');
    expect(m.text).toContain('-2,50 €');
    expect(m.text).toContain('10,00 €');
    expect(m.html).toContain('Créditer mon compte');
  });

  it('message answer: names the thread, escapes it in HTML, and keeps the answer on the portal', () => {
    const m = messageAnswerMail({ threadSubject: 'Menu <script>alert(1)</script>', portalUrl: 'http://portail.test', answeredAt: new Date('2026-01-05T16:30:00Z') });
    expect(m.subject).toContain('Menu <script>');
    expect(m.html).not.toContain('<script>');
    expect(m.html).toContain('Menu &lt;script&gt;');
    expect(m.text).toContain('05/01/2026 à 17h30');
    expect(m.text).toContain('http://portail.test/messages');
  });
});

describe('the commune that signs the mails', () => {
  const portalUrl = 'http://portail.test';
  const at = new Date('2026-01-05T16:30:00Z');
  const eysines = { name: 'Eysines & Co', email: 'periscolaire@eysines.fr', phone: '05 56 16 18 00' };
  const every = (commune?: typeof eysines) => [
    passwordResetMail({ to: 'a@b.fr', link: `${portalUrl}/reinitialisation?token=x`, expiresAt: at, commune }),
    paymentConfirmationMail({ amountCents: 2000, walletLabel: 'Cantine', refdet: 'R1', paidAtLocal: null, invoiceNumber: 'F1', balanceCents: 0, portalUrl, commune }),
    lowBalanceMail({ familyName: 'DEVRET', walletLabel: 'Garderie', balanceCents: 0, thresholdCents: 1000, portalUrl, commune }),
    messageAnswerMail({ threadSubject: 'Menu', portalUrl, answeredAt: at, commune }),
    messageFromMairieMail({ threadSubject: 'Sortie', portalUrl, sentAt: at, commune }),
  ];

  it('without a commune, is signed by the service alone and names no commune', () => {
    expect(DEFAULT_MAIL_COMMUNE).toEqual({ name: '', email: '', phone: '' });
    expect(MAIL_SIGNATURE).toBe('Le service périscolaire');
    for (const m of every()) {
      expect(m.text.endsWith(`--\n${MAIL_SIGNATURE}\n`)).toBe(true);
      expect(m.html).toContain('font-weight:bold">eTicket</div>');
      expect(m.html).not.toContain('mailto:');
      expect(`${m.text}${m.html}`).not.toMatch(/Port-Sainte|Ponchapt|port-sainte/);
    }
  });

  it('signs with the commune given by the caller, escaped in HTML, in every template', () => {
    for (const m of every(eysines)) {
      expect(m.text).toContain('--\nLe service périscolaire de la Mairie d’Eysines & Co\nperiscolaire@eysines.fr — Tél. 05 56 16 18 00');
      expect(m.text).not.toContain('port-sainte-foy');
      expect(m.html).toContain('eTicket — Eysines &amp; Co</div>');
      expect(m.html).toContain('Le service périscolaire de la Mairie d’Eysines &amp; Co<br><a href="mailto:periscolaire@eysines.fr">periscolaire@eysines.fr</a> — Tél. 05 56 16 18 00');
      expect(m.html).not.toContain('Port-Sainte-Foy');
    }
  });

  it('message from the mairie: names the subject and sends to the portal’s Messages, the message itself not included', () => {
    const m = messageFromMairieMail({ threadSubject: 'Attestation <CAF>', portalUrl: 'http://portail.test/', sentAt: at });
    expect(m.subject).toBe('eTicket : message du secrétariat — Attestation <CAF>');
    expect(m.text).toContain('Le secrétariat de la Mairie vous a écrit le 05/01/2026 à 17h30 : « Attestation <CAF> ».');
    expect(m.text).toContain('Lire le message :\nhttp://portail.test/messages');
    expect(m.html).toContain('Attestation &lt;CAF&gt;');
  });
});
