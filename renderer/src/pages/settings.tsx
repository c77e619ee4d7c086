import { useRef, type ComponentType } from 'react';
import { Link, useLocation } from '../router.js';
import { BackupsSection } from './settings-backups.js';
import { PageHeader } from '../ui.js';
import { CommuneSection } from './settings-commune.js';
import { GdprSection } from './settings-gdpr.js';
import { PayfipSection } from './settings-payfip.js';
import { PortalSection } from './settings-portal.js';
import { RestoreSection } from './settings-restore.js';
import { SecuritySection } from './settings-security.js';
import { SmtpSection } from './settings-smtp.js';
import '../settings.css';

/**
 * "Paramètres" (admin): one section at a time, chosen in an in-page list of links (keyboard:
 * Tab to a link, Entrée to open it; the section's title then takes the focus). The section is in
 * the address (?section=…), so a reload or a shared link opens the same one.
 */
const SECTIONS: Array<{ id: string; title: string; intro: string; Body: ComponentType }> = [
  { id: 'commune', title: 'Commune', intro: 'L’identité de la commune sur les papiers, les mails et les écrans.', Body: CommuneSection },
  { id: 'portail', title: 'Portail', intro: 'L’adresse du portail des familles, l’horizon de réservation, le seuil d’alerte et le texte d’accueil.', Body: PortalSection },
  { id: 'paiement', title: 'Paiement en ligne', intro: 'Le raccordement à PayFiP, le paiement en ligne de la DGFiP.', Body: PayfipSection },
  { id: 'messagerie', title: 'Messagerie', intro: 'Le serveur qui envoie les mails aux familles.', Body: SmtpSection },
  { id: 'securite', title: 'Sécurité', intro: 'La durée des connexions des familles et des agents.', Body: SecuritySection },
  { id: 'donnees', title: 'Données personnelles', intro: 'La durée de conservation des données d’une famille partie, et les familles inactives à anonymiser.', Body: GdprSection },
  { id: 'sauvegardes', title: 'Sauvegardes', intro: 'Les sauvegardes chiffrées et vérifiées de la base et des documents.', Body: BackupsSection },
  { id: 'restauration', title: 'Restauration', intro: 'Après la restauration d’une sauvegarde : le dernier reçu et la dernière facture émis.', Body: RestoreSection },
];

export function SettingsPage() {
  const { query } = useLocation();
  const current = SECTIONS.find((s) => s.id === query.get('section')) ?? SECTIONS[0]!;
  const heading = useRef<HTMLHeadingElement>(null);
  // Choosing a section (even the one shown) brings the agent to its title, once React has drawn it.
  const focusTitle = () => setTimeout(() => heading.current?.focus(), 0);
  return (
    <>
      <PageHeader title="Paramètres" />
      <div className="settings-layout">
        <nav aria-label="Sections des paramètres" className="settings-nav">
          <ul>
            {SECTIONS.map((s) => (
              <li key={s.id}>
                <Link to={`/parametres?section=${s.id}`} aria-current={s.id === current.id ? 'page' : undefined} className={s.id === current.id ? 'active' : undefined} onClick={focusTitle}>
                  {s.title}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <section aria-labelledby="settings-section-title" className="settings-section" key={current.id}>
          <h2 id="settings-section-title" tabIndex={-1} ref={heading}>
            {current.title}
          </h2>
          <p className="muted">{current.intro}</p>
          <current.Body />
        </section>
      </div>
    </>
  );
}
