import { mairieTitle } from '../api/commune.js';
import type { MairieContacts } from '../api/parent.js';
import type { StaffInfoPage } from '../api/staff.js';
import { audit } from './audit.js';
import { getCommune } from './commune.js';
import type { Actor, CoreContext } from './context.js';
import { invalid, notFound } from './errors.js';
import { authorizeStaff } from './policy.js';
import { writeTransaction } from './tx.js';

/**
 * "Informations": pages the mairie writes for families (how the canteen works, prices,
 * deadlines…) and the mairie's contacts. Bodies are plain text with blank lines between
 * paragraphs; the portal renders them as text, never as HTML.
 */

function pageOf(r: Record<string, unknown>): StaffInfoPage {
  return {
    slug: r.slug as string,
    title: r.title as string,
    body: r.body as string,
    position: r.position as number,
    published: Boolean(r.published),
    updatedAt: r.updated_at as string,
  };
}

/** Published pages for parents; every page for the secretariat's editor when `includeDrafts`. */
export async function listInfoPages(ctx: CoreContext, opts: { includeDrafts?: boolean } = {}): Promise<StaffInfoPage[]> {
  const q = ctx.db('info_pages').orderBy([{ column: 'position' }, { column: 'id' }]).select();
  if (!opts.includeDrafts) q.where('published', true);
  return ((await q) as Array<Record<string, unknown>>).map(pageOf);
}

export async function getInfoPage(ctx: CoreContext, slug: string, opts: { includeDrafts?: boolean } = {}): Promise<StaffInfoPage> {
  const row: Record<string, unknown> | undefined = await ctx.db('info_pages').where('slug', slug).first();
  if (!row || (!row.published && !opts.includeDrafts)) throw notFound('Page');
  return pageOf(row);
}

/** The mairie's contacts, from the commune's identity (core/commune.ts). */
export async function getMairieContacts(ctx: CoreContext): Promise<MairieContacts> {
  const c = await getCommune(ctx.db);
  return { name: mairieTitle(c), service: c.service, email: c.email, phone: c.phone, address: c.address, website: c.website || null };
}

const SLUG_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Creates or replaces a page (admin and secretariat); audited with before and after. */
export async function upsertInfoPage(
  ctx: CoreContext,
  actor: Actor,
  input: { slug: string; title: string; body: string; position?: number; published?: boolean },
): Promise<StaffInfoPage> {
  const staff = authorizeStaff(actor, 'info-pages.edit');
  const slug = String(input.slug ?? '').trim();
  if (!SLUG_RE.test(slug) || slug.length > 80) throw invalid('Adresse de la page invalide : lettres minuscules, chiffres et tirets.');
  const title = String(input.title ?? '').trim();
  if (!title) throw invalid('Titre : ce champ est obligatoire.');
  if (title.length > 150) throw invalid('Titre : 150 caractères au maximum.');
  const body = String(input.body ?? '').trim();
  if (!body) throw invalid('Texte : ce champ est obligatoire.');
  if (body.length > 20000) throw invalid('Texte : 20 000 caractères au maximum.');
  const position = input.position ?? 0;
  if (!Number.isSafeInteger(position) || position < 0 || position > 1000) throw invalid('Position invalide.');
  const now = ctx.clock.now();
  const at = now.toISOString();
  await writeTransaction(ctx.db, async (trx) => {
    const before: Record<string, unknown> | undefined = await trx('info_pages').where('slug', slug).first();
    const values = { title, body, position, published: input.published !== false, updated_by: staff.staffUserId, updated_at: at };
    if (before) await trx('info_pages').where('slug', slug).update(values);
    else await trx('info_pages').insert({ slug, ...values });
    await audit(
      trx,
      actor,
      {
        action: before ? 'info_page.update' : 'info_page.create',
        entity: 'info_page',
        entityId: slug,
        before: before ? { title: before.title, body: before.body, published: Boolean(before.published) } : undefined,
        after: { title, body, published: values.published },
      },
      now,
    );
  });
  return getInfoPage(ctx, slug, { includeDrafts: true });
}
