import { api } from '../api.js';
import { useLoad } from '../hooks.js';

export function InformationPage() {
  const { data, error } = useLoad(() => api.call('parent.info'), []);
  return (
    <>
      <h1>Informations</h1>
      {error && <p className="notice notice-error">{error}</p>}
      {data && (
        <>
          <section className="card contacts" aria-labelledby="contacts-title">
            <h2 id="contacts-title">Vos contacts</h2>
            <p>La {data.contacts.name.replace(/^Mairie/, 'mairie')} est votre interlocuteur principal.</p>
            <p>
              <strong>{data.contacts.service}</strong>
              <br />
              {data.contacts.name}
              {data.contacts.address.length > 0 && (
                <>
                  <br />
                  {data.contacts.address.join(', ')}
                </>
              )}
            </p>
            <ul className="plain-list">
              <li>
                Mél : <a href={`mailto:${data.contacts.email}`}>{data.contacts.email}</a>
              </li>
              <li>
                Tél. : <a href={`tel:${data.contacts.phone.replace(/\s/g, '')}`}>{data.contacts.phone}</a>
              </li>
              {data.contacts.website && (
                <li>
                  Site : <a href={data.contacts.website}>{data.contacts.website}</a>
                </li>
              )}
            </ul>
          </section>
          {data.pages.length > 0 && (
            <nav aria-label="Sommaire des informations" className="toc">
              <ul>
                {data.pages.map((p) => (
                  <li key={p.slug}>
                    <a href={`#info-${p.slug}`}>{p.title}</a>
                  </li>
                ))}
              </ul>
            </nav>
          )}
          {data.pages.map((p) => (
            <section key={p.slug} id={`info-${p.slug}`} className="info-page" aria-labelledby={`info-${p.slug}-title`}>
              <h2 id={`info-${p.slug}-title`}>{p.title}</h2>
              {/* Plain text written by the mairie: paragraphs on blank lines, never HTML. */}
              {p.body.split(/\n{2,}/).map((para, i) => (
                <p key={i} className="pre-line">
                  {para}
                </p>
              ))}
            </section>
          ))}
        </>
      )}
    </>
  );
}
