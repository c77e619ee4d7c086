import fs from 'node:fs';
import { createRequire } from 'node:module';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb, type PDFFont, type PDFPage, type RGB } from 'pdf-lib';
import { communeSubline, communeTitle, type CommuneIdentity } from '../../api/commune.js';

/**
 * A small layout helper over pdf-lib for every printed paper of eTicket: invoices, statements,
 * receipts, meal lists, cash journals, welcome letters.
 *
 * DejaVuSans is embedded (subset) because the French locale puts U+202F before "€" and the
 * standard PDF fonts cannot encode it. The layout is a single top-down flow: each call places
 * a block under the previous one and opens a new page (with the commune header again) when the
 * block does not fit. Tables repeat their header row on every page they span.
 */

const require = createRequire(import.meta.url);
let fontCache: { regular: Uint8Array; bold: Uint8Array } | undefined;
function fontBytes(): { regular: Uint8Array; bold: Uint8Array } {
  fontCache ??= {
    regular: fs.readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')),
    bold: fs.readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')),
  };
  return fontCache;
}

export type Align = 'left' | 'right' | 'center';

export interface TableColumn {
  header: string;
  /** Relative width; the table spreads the columns over the page width in these proportions. */
  width?: number;
  align?: Align;
}

export interface TableOptions {
  columns: TableColumn[];
  rows: string[][];
  /** Rows printed in bold under a rule after the body, e.g. [['Total', '', '42,00 €']]. */
  totals?: string[][];
  /** Shown in place of the body when there is no row. */
  emptyText?: string;
  fontSize?: number;
}

export interface PdfLayoutOptions {
  /** Who issues the paper: its name heads every page (core/commune.ts). */
  commune: CommuneIdentity;
  /** Big title under the commune header on the first page, e.g. "Facture F2026-000042". */
  title: string;
  /** Second line under the title, e.g. "Relevé du mois de mai 2026". */
  subtitle?: string;
  /** Printed at the bottom of every page, left of "Page n / N". */
  footer?: string;
  /** PDF metadata. */
  author?: string;
  subject?: string;
  /** Fixed creation date (tests, reproducible output). */
  createdAt?: Date;
  /** 'portrait' (default) or 'landscape' A4. */
  orientation?: 'portrait' | 'landscape';
}

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 48;
const HEADER_HEIGHT = 58;
const FOOTER_HEIGHT = 30;
const INK: RGB = rgb(0.1, 0.1, 0.12);
const MUTED: RGB = rgb(0.38, 0.38, 0.42);
const RULE: RGB = rgb(0.75, 0.75, 0.78);
const SHADE: RGB = rgb(0.93, 0.94, 0.96);
const ACCENT: RGB = rgb(0.11, 0.3, 0.55);

export class PdfLayout {
  readonly doc: PDFDocument;
  readonly font: PDFFont;
  readonly bold: PDFFont;
  private readonly options: PdfLayoutOptions;
  private readonly pageSize: [number, number];
  private page!: PDFPage;
  /** Current baseline cursor, measured from the bottom of the page as PDF does. */
  private y = 0;
  /** A line under the commune header of every page (the day and school of a list). */
  private runningHeader: string | null = null;

  private constructor(doc: PDFDocument, font: PDFFont, bold: PDFFont, options: PdfLayoutOptions) {
    this.doc = doc;
    this.font = font;
    this.bold = bold;
    this.options = options;
    this.pageSize = options.orientation === 'landscape' ? [A4[1], A4[0]] : A4;
  }

  static async create(options: PdfLayoutOptions): Promise<PdfLayout> {
    const doc = await PDFDocument.create();
    doc.registerFontkit(fontkit);
    const bytes = fontBytes();
    // Fixed font names (pdf-lib adds a random suffix otherwise): the same paper gives the same bytes.
    const font = await doc.embedFont(bytes.regular, { subset: true, customName: 'eTicket-Regular' });
    const bold = await doc.embedFont(bytes.bold, { subset: true, customName: 'eTicket-Bold' });
    const created = options.createdAt ?? new Date();
    doc.setTitle(options.title);
    doc.setAuthor(options.author ?? communeTitle(options.commune));
    doc.setProducer('eTicket');
    doc.setCreator('eTicket');
    doc.setLanguage('fr-FR');
    if (options.subject) doc.setSubject(options.subject);
    doc.setCreationDate(created);
    doc.setModificationDate(created);
    const layout = new PdfLayout(doc, font, bold, options);
    layout.newPage();
    layout.drawTitle();
    return layout;
  }

  get contentWidth(): number {
    return this.pageSize[0] - 2 * MARGIN;
  }

  private get bottomLimit(): number {
    return MARGIN + FOOTER_HEIGHT;
  }

  /**
   * Repeats `text` at the top of every page from here on, the current page included, so that a
   * page that comes loose from a printed list still says what it is.
   */
  setRunningHeader(text: string): void {
    this.runningHeader = text;
    this.drawRunningHeader();
  }

  private drawRunningHeader(): void {
    if (!this.runningHeader) return;
    for (const line of this.wrap(this.runningHeader, this.bold, 10.5, this.contentWidth)) {
      this.page.drawText(line, { x: MARGIN, y: this.y, size: 10.5, font: this.bold, color: ACCENT });
      this.y -= 15;
    }
    this.y -= 6;
  }

  /** Starts a new page with the commune header (and the running header, or `runningHeader` from now on). */
  newPage(runningHeader?: string): void {
    if (runningHeader !== undefined) this.runningHeader = runningHeader;
    this.page = this.doc.addPage(this.pageSize);
    const top = this.pageSize[1] - MARGIN;
    this.page.drawText(communeTitle(this.options.commune), { x: MARGIN, y: top - 12, size: 13, font: this.bold, color: ACCENT });
    const subline = communeSubline(this.options.commune);
    if (subline) this.page.drawText(this.wrap(subline, this.font, 8.5, this.contentWidth)[0] ?? '', { x: MARGIN, y: top - 28, size: 8.5, font: this.font, color: MUTED });
    this.page.drawLine({
      start: { x: MARGIN, y: top - 38 },
      end: { x: this.pageSize[0] - MARGIN, y: top - 38 },
      thickness: 1,
      color: ACCENT,
    });
    this.y = top - HEADER_HEIGHT;
    this.drawRunningHeader();
  }

  private drawTitle(): void {
    for (const line of this.wrap(this.options.title, this.bold, 17, this.contentWidth)) {
      this.page.drawText(line, { x: MARGIN, y: this.y, size: 17, font: this.bold, color: INK });
      this.y -= 22;
    }
    if (this.options.subtitle) {
      for (const line of this.wrap(this.options.subtitle, this.font, 11, this.contentWidth)) {
        this.page.drawText(line, { x: MARGIN, y: this.y, size: 11, font: this.font, color: MUTED });
        this.y -= 15;
      }
    }
    this.y -= 8;
  }

  /** Opens a new page when fewer than `height` points are left above the footer. */
  ensureSpace(height: number): void {
    if (this.y - height < this.bottomLimit) this.newPage();
  }

  /** Vertical gap. */
  space(points = 10): void {
    this.y -= points;
  }

  /** A section heading in bold. */
  heading(text: string, size = 12.5): void {
    this.ensureSpace(size + 24);
    this.y -= 6;
    for (const line of this.wrap(text, this.bold, size, this.contentWidth)) {
      this.page.drawText(line, { x: MARGIN, y: this.y, size, font: this.bold, color: INK });
      this.y -= size + 5;
    }
    this.y -= 2;
  }

  /** Wrapped running text. */
  paragraph(text: string, opts: { size?: number; bold?: boolean; muted?: boolean } = {}): void {
    const size = opts.size ?? 10;
    const font = opts.bold ? this.bold : this.font;
    const lineHeight = size * 1.35;
    for (const raw of text.split('\n')) {
      const lines = raw === '' ? [''] : this.wrap(raw, font, size, this.contentWidth);
      for (const line of lines) {
        this.ensureSpace(lineHeight);
        this.page.drawText(line, { x: MARGIN, y: this.y, size, font, color: opts.muted ? MUTED : INK });
        this.y -= lineHeight;
      }
    }
    this.y -= 4;
  }

  /**
   * Label/value pairs in two columns ("Famille : DEVRET"). Long values wrap under themselves.
   */
  keyValues(pairs: ReadonlyArray<readonly [string, string]>, opts: { size?: number; labelWidth?: number } = {}): void {
    const size = opts.size ?? 10;
    const labelWidth = opts.labelWidth ?? Math.min(170, this.contentWidth * 0.35);
    const lineHeight = size * 1.4;
    for (const [label, value] of pairs) {
      const lines = this.wrap(value, this.font, size, this.contentWidth - labelWidth);
      this.ensureSpace(lineHeight * Math.max(1, lines.length));
      this.page.drawText(`${label} :`, { x: MARGIN, y: this.y, size, font: this.bold, color: MUTED });
      for (const line of lines.length ? lines : ['']) {
        this.page.drawText(line, { x: MARGIN + labelWidth, y: this.y, size, font: this.font, color: INK });
        this.y -= lineHeight;
      }
    }
    this.y -= 6;
  }

  /** A table with a shaded header row, wrapped cells, right-aligned amounts and bold totals. */
  table(options: TableOptions): void {
    const size = options.fontSize ?? 9.5;
    const lineHeight = size * 1.3;
    const pad = 4;
    const totalWeight = options.columns.reduce((s, c) => s + (c.width ?? 1), 0);
    const widths = options.columns.map((c) => ((c.width ?? 1) / totalWeight) * this.contentWidth);
    const xs: number[] = [];
    widths.reduce((x, w) => (xs.push(x), x + w), MARGIN);

    const cellLines = (row: readonly string[], font: PDFFont) =>
      options.columns.map((_, i) => this.wrap(row[i] ?? '', font, size, (widths[i] ?? 0) - 2 * pad));

    const drawRow = (row: readonly string[], font: PDFFont, shade?: RGB) => {
      const lines = cellLines(row, font);
      const height = Math.max(1, ...lines.map((l) => l.length)) * lineHeight + 2 * pad;
      if (shade) {
        this.page.drawRectangle({ x: MARGIN, y: this.y - height, width: this.contentWidth, height, color: shade });
      }
      lines.forEach((cell, i) => {
        const col = options.columns[i]!;
        const x0 = xs[i]!;
        const w = widths[i]!;
        cell.forEach((text, k) => {
          const textWidth = font.widthOfTextAtSize(text, size);
          const x =
            col.align === 'right' ? x0 + w - pad - textWidth : col.align === 'center' ? x0 + (w - textWidth) / 2 : x0 + pad;
          this.page.drawText(text, { x, y: this.y - pad - size - k * lineHeight + 2, size, font, color: INK });
        });
      });
      this.y -= height;
      return height;
    };

    const rowHeight = (row: readonly string[], font: PDFFont) =>
      Math.max(1, ...cellLines(row, font).map((l) => l.length)) * lineHeight + 2 * pad;

    const headerRow = options.columns.map((c) => c.header);
    const drawHeader = () => drawRow(headerRow, this.bold, SHADE);

    const headerHeight = rowHeight(headerRow, this.bold);
    this.ensureSpace(headerHeight + lineHeight + 2 * pad);
    drawHeader();

    if (options.rows.length === 0 && options.emptyText) {
      this.ensureSpace(lineHeight + 2 * pad);
      this.page.drawText(options.emptyText, { x: MARGIN + pad, y: this.y - pad - size + 2, size, font: this.font, color: MUTED });
      this.y -= lineHeight + 2 * pad;
    }
    for (const row of options.rows) {
      const h = rowHeight(row, this.font);
      if (this.y - h < this.bottomLimit) {
        this.newPage();
        drawHeader();
      }
      drawRow(row, this.font);
      this.page.drawLine({
        start: { x: MARGIN, y: this.y },
        end: { x: MARGIN + this.contentWidth, y: this.y },
        thickness: 0.4,
        color: RULE,
      });
    }
    if (options.totals?.length) {
      const totalsHeight = options.totals.reduce((s, r) => s + rowHeight(r, this.bold), 0);
      this.ensureSpace(totalsHeight + 2);
      this.page.drawLine({
        start: { x: MARGIN, y: this.y },
        end: { x: MARGIN + this.contentWidth, y: this.y },
        thickness: 1,
        color: INK,
      });
      for (const row of options.totals) drawRow(row, this.bold);
    }
    this.y -= 10;
  }

  /** Right-aligned label/amount lines in bold, e.g. [['Total payé', '20,00 €']]. */
  totals(pairs: ReadonlyArray<readonly [string, string]>, size = 11): void {
    const lineHeight = size * 1.5;
    this.ensureSpace(lineHeight * pairs.length + 4);
    const right = MARGIN + this.contentWidth;
    for (const [label, amount] of pairs) {
      const amountWidth = this.bold.widthOfTextAtSize(amount, size);
      this.page.drawText(amount, { x: right - amountWidth, y: this.y, size, font: this.bold, color: INK });
      const labelWidth = this.bold.widthOfTextAtSize(label, size);
      this.page.drawText(label, { x: right - 130 - labelWidth, y: this.y, size, font: this.bold, color: INK });
      this.y -= lineHeight;
    }
    this.y -= 6;
  }

  /** Writes the footers ("Page n / N") and returns the PDF bytes. */
  async save(): Promise<Uint8Array> {
    const pages = this.doc.getPages();
    pages.forEach((page, i) => {
      const size = 8;
      const y = MARGIN - 4;
      page.drawLine({
        start: { x: MARGIN, y: y + 14 },
        end: { x: this.pageSize[0] - MARGIN, y: y + 14 },
        thickness: 0.5,
        color: RULE,
      });
      const pageText = `Page ${i + 1} / ${pages.length}`;
      const pageTextWidth = this.font.widthOfTextAtSize(pageText, size);
      page.drawText(pageText, { x: this.pageSize[0] - MARGIN - pageTextWidth, y, size, font: this.font, color: MUTED });
      if (this.options.footer) {
        const footer = this.wrap(this.options.footer, this.font, size, this.contentWidth - pageTextWidth - 20)[0] ?? '';
        page.drawText(footer, { x: MARGIN, y, size, font: this.font, color: MUTED });
      }
    });
    return this.doc.save({ useObjectStreams: true });
  }

  /** Splits text into lines that fit `maxWidth`; words longer than a line are cut. */
  wrap(text: string, font: PDFFont, size: number, maxWidth: number): string[] {
    const clean = text.replace(/[\t\r]/g, ' ');
    if (clean.trim() === '') return [];
    const lines: string[] = [];
    let current = '';
    for (const word of clean.split(/ +/)) {
      const candidate = current ? `${current} ${word}` : word;
      if (font.widthOfTextAtSize(candidate, size) <= maxWidth) {
        current = candidate;
        continue;
      }
      if (current) lines.push(current);
      // A word wider than the line: cut it by characters.
      let rest = word;
      while (font.widthOfTextAtSize(rest, size) > maxWidth && rest.length > 1) {
        let cut = rest.length - 1;
        while (cut > 1 && font.widthOfTextAtSize(rest.slice(0, cut), size) > maxWidth) cut--;
        lines.push(rest.slice(0, cut));
        rest = rest.slice(cut);
      }
      current = rest;
    }
    if (current) lines.push(current);
    return lines;
  }
}

/** Convenience for callers that build the whole paper in one go. */
export async function buildPdf(options: PdfLayoutOptions, draw: (layout: PdfLayout) => void | Promise<void>): Promise<Uint8Array> {
  const layout = await PdfLayout.create(options);
  await draw(layout);
  return layout.save();
}
