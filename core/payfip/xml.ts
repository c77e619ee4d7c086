/**
 * A small XML reader and writer for PayFiP's flat SOAP 1.1 documents.
 *
 * The documents exchanged are a handful of elements with text content, so a full XML library is
 * not worth its weight. This reader is deliberately strict: it refuses DOCTYPE declarations
 * (no entity expansion, no external entities) and any malformed nesting, and only knows the five
 * predefined entities and numeric character references.
 */

export interface XmlElement {
  /** Name without its namespace prefix, e.g. `creerPaiementSecuriseResponse`. */
  name: string;
  /** Name as written, e.g. `ns2:creerPaiementSecuriseResponse`. */
  qname: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** Concatenated text directly inside this element (not its descendants'). */
  text: string;
}

export class XmlParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlParseError';
  }
}

/** Escapes text for an element's content or a double-quoted attribute value. */
export function escapeXml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const namedEntities: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(raw: string): string {
  return raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);|&/g, (match, body: string | undefined) => {
    if (body === undefined) throw new XmlParseError('Caractère « & » non échappé');
    if (body.startsWith('#x')) return codePoint(parseInt(body.slice(2), 16));
    if (body.startsWith('#')) return codePoint(parseInt(body.slice(1), 10));
    const named = namedEntities[body];
    if (named === undefined) throw new XmlParseError(`Entité inconnue ${match}`);
    return named;
  });
}

function codePoint(n: number): string {
  if (!Number.isFinite(n) || n < 1 || n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff)) {
    throw new XmlParseError(`Référence de caractère invalide ${n}`);
  }
  return String.fromCodePoint(n);
}

function localName(qname: string): string {
  const colon = qname.indexOf(':');
  return colon === -1 ? qname : qname.slice(colon + 1);
}

const nameRe = /^[A-Za-z_][\w.-]*(:[A-Za-z_][\w.-]*)?$/;
const attrRe = /([A-Za-z_][\w.:-]*)\s*=\s*("([^"]*)"|'([^']*)')/g;

function parseTag(inner: string): { qname: string; attributes: Record<string, string> } {
  const match = /^([^\s/>]+)([\s\S]*)$/.exec(inner);
  if (!match || !nameRe.test(match[1]!)) throw new XmlParseError(`Balise invalide <${inner.slice(0, 40)}>`);
  const attributes: Record<string, string> = {};
  const rest = match[2]!;
  for (const a of rest.matchAll(attrRe)) {
    attributes[a[1]!] = decodeEntities(a[3] ?? a[4] ?? '');
  }
  // Whatever is not whitespace must have been an attribute; anything else is malformed.
  if (rest.replace(attrRe, '').trim() !== '') throw new XmlParseError(`Attributs invalides dans <${match[1]}>`);
  return { qname: match[1]!, attributes };
}

/** Parses a document and returns its root element. Throws XmlParseError on anything unexpected. */
export function parseXml(source: string): XmlElement {
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  let i = 0;
  const n = source.length;
  if (source.charCodeAt(0) === 0xfeff) i = 1;

  const appendText = (text: string) => {
    const top = stack[stack.length - 1];
    if (top) top.text += text;
    else if (text.trim() !== '') throw new XmlParseError('Texte hors de l’élément racine');
  };

  while (i < n) {
    const lt = source.indexOf('<', i);
    if (lt === -1) {
      appendText(decodeEntities(source.slice(i)));
      break;
    }
    if (lt > i) appendText(decodeEntities(source.slice(i, lt)));

    if (source.startsWith('<?', lt)) {
      const end = source.indexOf('?>', lt + 2);
      if (end === -1) throw new XmlParseError('Instruction de traitement non terminée');
      i = end + 2;
    } else if (source.startsWith('<!--', lt)) {
      const end = source.indexOf('-->', lt + 4);
      if (end === -1) throw new XmlParseError('Commentaire non terminé');
      i = end + 3;
    } else if (source.startsWith('<![CDATA[', lt)) {
      const end = source.indexOf(']]>', lt + 9);
      if (end === -1) throw new XmlParseError('Section CDATA non terminée');
      if (stack.length === 0) throw new XmlParseError('CDATA hors de l’élément racine');
      appendText(source.slice(lt + 9, end));
      i = end + 3;
    } else if (source.startsWith('<!', lt)) {
      // DOCTYPE and friends: refused, so no entity can ever be declared or expanded.
      throw new XmlParseError('Déclaration DOCTYPE refusée');
    } else if (source.startsWith('</', lt)) {
      const end = source.indexOf('>', lt + 2);
      if (end === -1) throw new XmlParseError('Balise fermante non terminée');
      const qname = source.slice(lt + 2, end).trim();
      const top = stack.pop();
      if (!top || top.qname !== qname) throw new XmlParseError(`Balise fermante inattendue </${qname}>`);
      i = end + 1;
    } else {
      const end = findTagEnd(source, lt + 1);
      let inner = source.slice(lt + 1, end);
      const selfClosing = inner.endsWith('/');
      if (selfClosing) inner = inner.slice(0, -1);
      const { qname, attributes } = parseTag(inner);
      const element: XmlElement = { name: localName(qname), qname, attributes, children: [], text: '' };
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(element);
      else if (root) throw new XmlParseError('Plusieurs éléments racine');
      else root = element;
      if (!selfClosing) stack.push(element);
      i = end + 1;
    }
  }
  if (stack.length > 0) throw new XmlParseError(`Élément <${stack[stack.length - 1]!.qname}> non fermé`);
  if (!root) throw new XmlParseError('Document vide');
  return root;
}

/** Finds the `>` closing a start tag, skipping over quoted attribute values. */
function findTagEnd(source: string, from: number): number {
  let quote: string | null = null;
  for (let j = from; j < source.length; j++) {
    const c = source[j];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return j;
    else if (c === '<') break;
  }
  throw new XmlParseError('Balise ouvrante non terminée');
}

/** First descendant (depth-first, including `root` itself) with this local name. */
export function findElement(root: XmlElement, name: string): XmlElement | undefined {
  if (root.name === name) return root;
  for (const child of root.children) {
    const found = findElement(child, name);
    if (found) return found;
  }
  return undefined;
}

/** The direct children of a flat element as a name -> trimmed text map (first occurrence wins). */
export function childTexts(element: XmlElement): Record<string, string> {
  const out: Record<string, string> = {};
  for (const child of element.children) {
    if (!(child.name in out)) out[child.name] = child.text.trim();
  }
  return out;
}

/** `<name>value</name>` for each defined field, escaped, in the given order. */
export function flatElements(fields: ReadonlyArray<readonly [string, string | number | undefined | null]>): string {
  return fields
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `<${k}>${escapeXml(String(v))}</${k}>`)
    .join('');
}
