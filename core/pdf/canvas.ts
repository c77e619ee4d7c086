import { deflateSync } from 'node:zlib';
import { PDFName, type PDFDocument, type PDFFont, type PDFPage, type RGB } from 'pdf-lib';

/**
 * The drawing layer under PdfLayout. pdf-lib's drawText shapes every string with fontkit (about
 * 70 µs each) and builds an object per operator; a city's meal list draws some 100,000 strings.
 * Here a font measures and encodes each distinct string once per document, and a page's
 * operators are plain text, compressed by Node's zlib when the document is saved.
 */

/** A font of one document, with its resource name and caches of widths and glyph codes. */
export class InkFont {
  readonly pdfFont: PDFFont;
  /** Resource name in every page's /Font dictionary. */
  readonly key: string;
  private readonly units = new Map<string, number>();
  private readonly codes = new Map<string, string>();

  constructor(pdfFont: PDFFont, key: string) {
    this.pdfFont = pdfFont;
    this.key = key;
  }

  /** Same figure as pdf-lib's widthOfTextAtSize (the advance widths of the shaped glyphs). */
  width(text: string, size: number): number {
    let unit = this.units.get(text);
    if (unit === undefined) {
      unit = this.pdfFont.widthOfTextAtSize(text, 1000);
      this.units.set(text, unit);
    }
    return unit * (size / 1000);
  }

  /** The hex string of glyph ids ("<0012…>"); encoding also adds the glyphs to the font subset. */
  encode(text: string): string {
    let code = this.codes.get(text);
    if (code === undefined) {
      code = this.pdfFont.encodeText(text).toString();
      this.codes.set(text, code);
    }
    return code;
  }
}

const num = (x: number): string => {
  const r = Math.round(x * 100) / 100;
  return Object.is(r, -0) ? '0' : String(r);
};
const color = (c: RGB): string => `${num(c.red)} ${num(c.green)} ${num(c.blue)}`;

/** The content of one page, written as PDF operators. */
export class PageInk {
  readonly page: PDFPage;
  private readonly ops: string[] = [];
  private readonly fonts = new Set<InkFont>();

  constructor(page: PDFPage) {
    this.page = page;
  }

  text(text: string, at: { x: number; y: number; size: number; font: InkFont; color: RGB }): void {
    if (text === '') return;
    this.fonts.add(at.font);
    this.ops.push(`BT /${at.font.key} ${num(at.size)} Tf ${color(at.color)} rg ${num(at.x)} ${num(at.y)} Td ${at.font.encode(text)} Tj ET`);
  }

  line(start: { x: number; y: number }, end: { x: number; y: number }, thickness: number, stroke: RGB): void {
    this.ops.push(`${color(stroke)} RG ${num(thickness)} w ${num(start.x)} ${num(start.y)} m ${num(end.x)} ${num(end.y)} l S`);
  }

  rect(x: number, y: number, width: number, height: number, fill: RGB): void {
    this.ops.push(`${color(fill)} rg ${num(x)} ${num(y)} ${num(width)} ${num(height)} re f`);
  }

  /** Attaches the fonts used and the compressed operators to the page. */
  finish(doc: PDFDocument): void {
    for (const font of this.fonts) this.page.node.setFontDictionary(PDFName.of(font.key), font.pdfFont.ref);
    const content = deflateSync(Buffer.from(this.ops.join('\n'), 'latin1'));
    const stream = doc.context.stream(content, { Filter: 'FlateDecode' });
    this.page.node.set(PDFName.of('Contents'), doc.context.register(stream));
  }
}
