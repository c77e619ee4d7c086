/** HTML of the simulator's payment pages. No inline script or style: the pages run under a strict CSP. */

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function formatEuros(cents: number): string {
  return new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' }).format(cents / 100).replace(/[\u202f\u00a0]/g, ' ');
}

function layout(title: string, body: string, extraHead = ''): string {
  return `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — PayFiP (simulateur)</title>
<link rel="stylesheet" href="/tpa/static/simulateur.css">
${extraHead}
</head>
<body>
<header class="bandeau">
  <p class="marque">PayFiP <span>paiement des services publics locaux</span></p>
  <p class="avertissement" role="note">Simulateur local : aucun paiement réel n’est effectué.</p>
</header>
<main>
${body}
</main>
</body>
</html>`;
}

export interface PaymentPageData {
  idOp: string;
  montant: number;
  objet: string;
  refdet: string;
  mel: string;
  numcli: string;
  saisie: string;
  libelleClient: string;
}

const saisieLabel: Record<string, string> = { T: 'test', X: 'activation', W: 'production' };

export function paymentPage(p: PaymentPageData): string {
  return layout(
    'Paiement',
    `<h1>Paiement par carte bancaire</h1>
<section class="recap" aria-label="Détail du paiement">
  <dl>
    <dt>Créancier</dt><dd>${escapeHtml(p.libelleClient)}</dd>
    <dt>Objet</dt><dd>${escapeHtml(p.objet)}</dd>
    <dt>Référence</dt><dd>${escapeHtml(p.refdet)}</dd>
    <dt>Montant</dt><dd class="montant">${escapeHtml(formatEuros(p.montant))}</dd>
    <dt>Adresse électronique</dt><dd>${escapeHtml(p.mel)}</dd>
    <dt>Mode</dt><dd>${escapeHtml(saisieLabel[p.saisie] ?? p.saisie)}</dd>
  </dl>
</section>
<form method="post" action="/tpa/paiementws.web" class="choix">
  <input type="hidden" name="idop" value="${escapeHtml(p.idOp)}">
  <p>Choisissez l’issue du paiement simulé :</p>
  <button type="submit" name="action" value="payer" class="payer">Payer</button>
  <button type="submit" name="action" value="refuser" class="refuser">Refuser</button>
  <button type="submit" name="action" value="abandonner" class="abandonner">Abandonner</button>
  <p class="aide">« Refuser » simule une carte refusée, « Abandonner » un payeur qui renonce.</p>
</form>`,
  );
}

const outcomeText: Record<string, { title: string; text: string }> = {
  P: { title: 'Paiement accepté', text: 'Votre paiement a été accepté. Vous allez être redirigé vers le site de votre commune.' },
  V: { title: 'Prélèvement accepté', text: 'Votre prélèvement a été accepté. Vous allez être redirigé vers le site de votre commune.' },
  R: { title: 'Paiement refusé', text: 'Votre carte a été refusée. Aucun montant n’a été débité.' },
  Z: { title: 'Prélèvement refusé', text: 'Le prélèvement a été refusé. Aucun montant n’a été débité.' },
  A: { title: 'Paiement abandonné', text: 'Vous avez abandonné le paiement. Aucun montant n’a été débité.' },
};

/** After the choice: a form that posts `idop` back to the commune's urlredirect, submitted by an external script. */
export function returnPage(idOp: string, resultrans: string, urlredirect: string): string {
  const o = outcomeText[resultrans] ?? { title: 'Paiement terminé', text: '' };
  return layout(
    o.title,
    `<h1>${escapeHtml(o.title)}</h1>
<p>${escapeHtml(o.text)}</p>
<form method="post" action="${escapeHtml(urlredirect)}" id="retour">
  <input type="hidden" name="idop" value="${escapeHtml(idOp)}">
  <button type="submit">Retourner sur le site de la commune</button>
</form>`,
    '<script src="/tpa/static/retour.js" defer></script>',
  );
}

export function messagePage(title: string, text: string, status = 200): { status: number; html: string } {
  return { status, html: layout(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p>`) };
}

export const returnScript = `// Sends the browser back to the commune, as PayFiP does, once the page is shown.
document.getElementById('retour')?.submit();
`;

export const stylesheet = `
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #1e1e1e; background: #f5f5fe; }
.bandeau { background: #000091; color: #fff; padding: 0.75rem 1rem; }
.marque { font-weight: 700; font-size: 1.25rem; margin: 0; }
.marque span { font-weight: 400; font-size: 0.9rem; margin-left: 0.5rem; }
.avertissement { margin: 0.25rem 0 0; font-size: 0.9rem; }
main { max-width: 34rem; margin: 1.5rem auto; background: #fff; padding: 1.25rem; border-radius: 6px; box-shadow: 0 1px 3px rgba(0,0,0,.15); }
h1 { font-size: 1.4rem; margin-top: 0; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.4rem 1rem; }
dt { font-weight: 600; }
dd { margin: 0; overflow-wrap: anywhere; }
.montant { font-size: 1.2rem; font-weight: 700; }
.choix button, #retour button { font-size: 1rem; padding: 0.6rem 1.2rem; margin: 0.3rem 0.4rem 0.3rem 0; border-radius: 4px; border: 1px solid #000091; cursor: pointer; }
.payer { background: #000091; color: #fff; }
.refuser { background: #fff; color: #ce0500; border-color: #ce0500 !important; }
.abandonner { background: #fff; color: #000091; }
.aide { font-size: 0.85rem; color: #555; }
`;
