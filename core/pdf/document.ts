import fs from 'node:fs';
import { createRequire } from 'node:module';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb, type RGB } from 'pdf-lib';
import { communeSubline, communeTitle, type CommuneIdentity } from '../../api/commune.js';
import { InkFont, PageInk } from './canvas.js';

/**
 * A small layout helper over pdf-lib for every printed paper of eTicket: invoices, statements,
 * receipts, meal lists, cash journals, welcome letters.
 *
 * DejaVuSans is embedded (subset) because the French locale puts U+202F before "€" and the
 * standard PDF fonts cannot encode it. The layout is a single top-down flow: each call places
 * a block under the previous one and opens a new page (with the commune header again) when the
 * block does not fit. Tables repeat their header row on every page they span.
 */

export interface FontFiles {
  regular: Uint8Array;
  bold: Uint8Array;
}
let fontCache: FontFiles | undefined;
/** The DejaVu files, read once; a PDF worker gets them from its parent (core/workers/). */
export function fontBytes(): FontFiles {
  if (!fontCache) {
    const require = createRequire(import.meta.url);
    fontCache = {
      regular: fs.readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')),
      bold: fs.readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')),
    };
  }
  return fontCache;
}
export function provideFontBytes(files: FontFiles): void {
  fontCache = files;
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
  readonly font: InkFont;
  readonly bold: InkFont;
  private readonly options: PdfLayoutOptions;
  private readonly pageSize: [number, number];
  private readonly pages: PageInk[] = [];
  private page!: PageInk;
  /** Current baseline cursor, measured from the bottom of the page as PDF does. */
  private y = 0;
  /** A line under the commune header of every page (the day and school of a list). */
  private runningHeader: string | null = null;

  private constructor(doc: PDFDocument, font: InkFont, bold: InkFont, options: PdfLayoutOptions) {
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
    const layout = new PdfLayout(doc, new InkFont(font, 'F1'), new InkFont(bold, 'F2'), options);
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
      this.page.text(line, { x: MARGIN, y: this.y, size: 10.5, font: this.bold, color: ACCENT });
      this.y -= 15;
    }
    this.y -= 6;
  }

  /** Starts a new page with the commune header (and the running header, or `runningHeader` from now on). */
  newPage(runningHeader?: string): void {
    if (runningHeader !== undefined) this.runningHeader = runningHeader;
    this.page = new PageInk(this.doc.addPage(this.pageSize));
    this.pages.push(this.page);
    const top = this.pageSize[1] - MARGIN;
    this.page.text(communeTitle(this.options.commune), { x: MARGIN, y: top - 12, size: 13, font: this.bold, color: ACCENT });
    const subline = communeSubline(this.options.commune);
    if (subline) this.page.text(this.wrap(subline, this.font, 8.5, this.contentWidth)[0] ?? '', { x: MARGIN, y: top - 28, size: 8.5, font: this.font, color: MUTED });
    this.page.line({ x: MARGIN, y: top - 38 }, { x: this.pageSize[0] - MARGIN, y: top - 38 }, 1, ACCENT);
    this.y = top - HEADER_HEIGHT;
    this.drawRunningHeader();
  }

  private drawTitle(): void {
    for (const line of this.wrap(this.options.title, this.bold, 17, this.contentWidth)) {
      this.page.text(line, { x: MARGIN, y: this.y, size: 17, font: this.bold, color: INK });
      this.y -= 22;
    }
    if (this.options.subtitle) {
      for (const line of this.wrap(this.options.subtitle, this.font, 11, this.contentWidth)) {
        this.page.text(line, { x: MARGIN, y: this.y, size: 11, font: this.font, color: MUTED });
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
      this.page.text(line, { x: MARGIN, y: this.y, size, font: this.bold, color: INK });
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
        this.page.text(line, { x: MARGIN, y: this.y, size, font, color: opts.muted ? MUTED : INK });
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
      this.page.text(`${label} :`, { x: MARGIN, y: this.y, size, font: this.bold, color: MUTED });
      for (const line of lines.length ? lines : ['']) {
        this.page.text(line, { x: MARGIN + labelWidth, y: this.y, size, font: this.font, color: INK });
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

    const cellLines = (row: readonly string[], font: InkFont) =>
      options.columns.map((_, i) => this.wrap(row[i] ?? '', font, size, (widths[i] ?? 0) - 2 * pad));

    const drawRow = (row: readonly string[], font: InkFont, shade?: RGB, lines = cellLines(row, font)) => {
      const height = Math.max(1, ...lines.map((l) => l.length)) * lineHeight + 2 * pad;
      if (shade) this.page.rect(MARGIN, this.y - height, this.contentWidth, height, shade);
      lines.forEach((cell, i) => {
        const col = options.columns[i]!;
        const x0 = xs[i]!;
        const w = widths[i]!;
        cell.forEach((text, k) => {
          const textWidth = font.width(text, size);
          const x =
            col.align === 'right' ? x0 + w - pad - textWidth : col.align === 'center' ? x0 + (w - textWidth) / 2 : x0 + pad;
          this.page.text(text, { x, y: this.y - pad - size - k * lineHeight + 2, size, font, color: INK });
        });
      });
      this.y -= height;
      return height;
    };

    const heightOf = (lines: string[][]) => Math.max(1, ...lines.map((l) => l.length)) * lineHeight + 2 * pad;
    const rowHeight = (row: readonly string[], font: InkFont) => heightOf(cellLines(row, font));

    const headerRow = options.columns.map((c) => c.header);
    const drawHeader = () => drawRow(headerRow, this.bold, SHADE);

    const headerHeight = rowHeight(headerRow, this.bold);
    this.ensureSpace(headerHeight + lineHeight + 2 * pad);
    drawHeader();

    if (options.rows.length === 0 && options.emptyText) {
      this.ensureSpace(lineHeight + 2 * pad);
      this.page.text(options.emptyText, { x: MARGIN + pad, y: this.y - pad - size + 2, size, font: this.font, color: MUTED });
      this.y -= lineHeight + 2 * pad;
    }
    for (const row of options.rows) {
      // Wrapped once: the same lines give the height and the drawing.
      const lines = cellLines(row, this.font);
      if (this.y - heightOf(lines) < this.bottomLimit) {
        this.newPage();
        drawHeader();
      }
      drawRow(row, this.font, undefined, lines);
      this.page.line({ x: MARGIN, y: this.y }, { x: MARGIN + this.contentWidth, y: this.y }, 0.4, RULE);
    }
    if (options.totals?.length) {
      const totalsHeight = options.totals.reduce((s, r) => s + rowHeight(r, this.bold), 0);
      this.ensureSpace(totalsHeight + 2);
      this.page.line({ x: MARGIN, y: this.y }, { x: MARGIN + this.contentWidth, y: this.y }, 1, INK);
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
      const amountWidth = this.bold.width(amount, size);
      this.page.text(amount, { x: right - amountWidth, y: this.y, size, font: this.bold, color: INK });
      const labelWidth = this.bold.width(label, size);
      this.page.text(label, { x: right - 130 - labelWidth, y: this.y, size, font: this.bold, color: INK });
      this.y -= lineHeight;
    }
    this.y -= 6;
  }

  /** Writes the footers ("Page n / N") and returns the PDF bytes. */
  async save(): Promise<Uint8Array> {
    const pages = this.pages;
    pages.forEach((page, i) => {
      const size = 8;
      const y = MARGIN - 4;
      page.line({ x: MARGIN, y: y + 14 }, { x: this.pageSize[0] - MARGIN, y: y + 14 }, 0.5, RULE);
      const pageText = `Page ${i + 1} / ${pages.length}`;
      const pageTextWidth = this.font.width(pageText, size);
      page.text(pageText, { x: this.pageSize[0] - MARGIN - pageTextWidth, y, size, font: this.font, color: MUTED });
      if (this.options.footer) {
        const footer = this.wrap(this.options.footer, this.font, size, this.contentWidth - pageTextWidth - 20)[0] ?? '';
        page.text(footer, { x: MARGIN, y, size, font: this.font, color: MUTED });
      }
      page.finish(this.doc);
    });
    return this.doc.save({ useObjectStreams: true });
  }

  /**
   * Splits text into lines that fit `maxWidth`; words longer than a line are cut. A line's width
   * is the sum of its words' and spaces' (each measured once per document), never re-measured
   * as it grows.
   */
  wrap(text: string, font: InkFont, size: number, maxWidth: number): string[] {
    const clean = text.replace(/[\t\r]/g, ' ');
    if (clean.trim() === '') return [];
    const space = font.width(' ', size);
    const lines: string[] = [];
    let current = '';
    let currentWidth = 0;
    for (const word of clean.split(/ +/)) {
      const wordWidth = font.width(word, size);
      const candidateWidth = current ? currentWidth + space + wordWidth : wordWidth;
      if (candidateWidth <= maxWidth) {
        current = current ? `${current} ${word}` : word;
        currentWidth = candidateWidth;
        continue;
      }
      if (current) lines.push(current);
      // A word wider than the line: cut it by characters.
      let rest = word;
      while (font.width(rest, size) > maxWidth && rest.length > 1) {
        let cut = rest.length - 1;
        while (cut > 1 && font.width(rest.slice(0, cut), size) > maxWidth) cut--;
        lines.push(rest.slice(0, cut));
        rest = rest.slice(cut);
      }
      current = rest;
      currentWidth = font.width(rest, size);
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
