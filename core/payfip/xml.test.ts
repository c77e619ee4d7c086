import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { XmlParseError, childTexts, escapeXml, findElement, flatElements, parseXml } from './xml.js';
import { faultEnvelope, readFaultDetail, envelopeBodyChild, requestEnvelope, PAYFIP_NS } from './soap.js';
import { parisLocalFromPayfip } from './client.js';

describe('parseXml', () => {
  it('reads namespaced elements, attributes, entities and CDATA', () => {
    const root = parseXml(
      `<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment -->
<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body>
  <ns2:reponse xmlns:ns2='urn:x'><return>
    <objet>Caf&#233; &amp; th&#xE9; &lt;ok&gt; &quot;q&quot; &apos;a&apos;</objet>
    <vide/>
    <cdata><![CDATA[<pas une balise> & rien]]></cdata>
  </return></ns2:reponse>
</S:Body></S:Envelope>`,
    );
    expect(root.name).toBe('Envelope');
    expect(root.attributes['xmlns:S']).toBe('http://schemas.xmlsoap.org/soap/envelope/');
    const ret = findElement(root, 'return')!;
    const t = childTexts(ret);
    expect(t.objet).toBe('Café & thé <ok> "q" \'a\'');
    expect(t.vide).toBe('');
    expect(t.cdata).toBe('<pas une balise> & rien');
    expect(findElement(root, 'reponse')!.attributes['xmlns:ns2']).toBe('urn:x');
  });

  it('refuses DOCTYPE (no entity expansion) and malformed documents', () => {
    const bomb = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><a>&lol;</a>';
    expect(() => parseXml(bomb)).toThrow(XmlParseError);
    expect(() => parseXml('<a><b></a></b>')).toThrow(/fermante inattendue/);
    expect(() => parseXml('<a>')).toThrow(/non fermé/);
    expect(() => parseXml('<a>&unknown;</a>')).toThrow(/Entité inconnue/);
    expect(() => parseXml('<a>x & y</a>')).toThrow(XmlParseError);
    expect(() => parseXml('<a/><b/>')).toThrow(/racine/);
    expect(() => parseXml('')).toThrow(/vide/);
    expect(() => parseXml('<a>&#0;</a>')).toThrow(/invalide/);
    expect(() => parseXml('<a b=c></a>')).toThrow(/Attributs invalides/);
  });

  it('round-trips any text through escapeXml', () => {
    // Characters XML 1.0 allows in content (no C0 controls except tab/newline; \r is normalised by real parsers).
    const xmlChar = fc.integer({ min: 0x20, max: 0xd7ff }).map((n) => String.fromCharCode(n));
    const text = fc.array(fc.oneof(xmlChar, fc.constantFrom('&', '<', '>', '"', "'", '\n', '\t', ']]>')), { maxLength: 60 }).map((a) => a.join(''));
    fc.assert(
      fc.property(text, (value) => {
        const doc = `<r>${flatElements([['v', value]])}</r>`;
        expect(childTexts(parseXml(doc)).v).toBe(value.trim());
        expect(parseXml(`<r a="${escapeXml(value)}"/>`).attributes.a).toBe(value);
      }),
      { numRuns: 300 },
    );
  });
});

describe('SOAP envelopes', () => {
  it('builds a request whose operation is in the PayFiP namespace, values escaped', () => {
    const xml = requestEnvelope('creerPaiementSecurise', [
      ['objet', 'A & B <c>'],
      ['montant', 2000],
      ['absent', undefined],
    ]);
    expect(xml).toContain(`xmlns:pai="${PAYFIP_NS}"`);
    expect(xml).toContain('<pai:creerPaiementSecurise><arg0><objet>A &amp; B &lt;c&gt;</objet><montant>2000</montant></arg0>');
    expect(xml).not.toContain('absent');
    const op = envelopeBodyChild(xml);
    expect(op.name).toBe('creerPaiementSecurise');
    expect(childTexts(op.children[0]!)).toEqual({ objet: 'A & B <c>', montant: '2000' });
  });

  it('writes and reads a fault with code, libelle, descriptif, severite', () => {
    const xml = faultEnvelope({ kind: 'FonctionnelleErreur', code: 'P5', libelle: 'Erreur fonctionnelle', descriptif: 'Résultat non connu', severite: '2' });
    const fault = envelopeBodyChild(xml);
    expect(fault.name).toBe('Fault');
    expect(readFaultDetail(fault)).toEqual({ kind: 'FonctionnelleErreur', code: 'P5', libelle: 'Erreur fonctionnelle', descriptif: 'Résultat non connu', severite: '2' });
  });
});

describe('parisLocalFromPayfip', () => {
  it('turns JJMMAAAA + HHMM into a Paris local stamp and refuses nonsense', () => {
    expect(parisLocalFromPayfip('29032026', '0330')).toBe('2026-03-29 03:30');
    expect(parisLocalFromPayfip('01012026', '00:05')).toBe('2026-01-01 00:05');
    expect(parisLocalFromPayfip('2026-03-29', '0330')).toBeNull();
    expect(parisLocalFromPayfip('32132026', '2500')).toBeNull();
  });
});
