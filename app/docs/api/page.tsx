import type { Metadata } from "next";
import Link from "next/link";
import { EventEntry, RequestEntry, RouteEntry } from "@/components/docs/entries";
import { ShapeView } from "@/components/docs/fields";
import { Prose } from "@/components/docs/prose";
import { apiReference } from "@/lib/contract/reference";

export const metadata: Metadata = {
  title: "API reference · Parley",
  description: "Parley's HTTP API and socket, for people: every route and event, its fields and its errors.",
};

const slug = (name: string) => `area-${name.toLowerCase().replace(/[^a-z]+/g, "-")}`;

function Brand() {
  return (
    <Link href="/" className="flex items-center gap-2 rounded-lg" prefetch={false}>
      <span className="flex size-8 items-center justify-center rounded-lg bg-indigo-600 text-white dark:bg-indigo-500" aria-hidden="true">
        <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" className="size-5">
          <path d="M21 12a8 8 0 0 1-11.6 7.1L4 20.5l1.4-4.6A8 8 0 1 1 21 12Z" />
          <path d="M8.5 10.5h7M8.5 13.5h4.5" />
        </svg>
      </span>
      <span className="text-lg font-bold tracking-tight text-fg">Parley</span>
    </Link>
  );
}

const documentLink = "rounded-lg px-2.5 py-1.5 font-mono text-xs font-medium text-link ring-1 ring-line hover:bg-hover";

function Intro({ version, errors, handshake }: Pick<ReturnType<typeof apiReference>, "version" | "errors" | "handshake">) {
  return (
    <>
      <section id="overview" className="scroll-mt-28 lg:scroll-mt-24">
        <p className="text-sm font-semibold text-accent dark:text-link">Version {version}</p>
        <h1 className="mt-1 text-3xl font-bold tracking-tight text-fg sm:text-4xl">API reference</h1>
        <Prose
          className="mt-3 max-w-3xl text-base leading-7"
          text="Everything the browser does, a script or a bot can do: over HTTP, and live over the socket, where each request is answered by an ack and changes arrive as events. The same schemas check both. Machines read the same description as JSON:"
        />
        <div className="mt-4 flex flex-wrap gap-2">
          <a className={documentLink} href="/api/openapi.json">
            /api/openapi.json · OpenAPI 3.1
          </a>
          <a className={documentLink} href="/api/asyncapi.json">
            /api/asyncapi.json · AsyncAPI 3.0
          </a>
        </div>
      </section>

      <section id="authentication" className="mt-12 scroll-mt-28 lg:scroll-mt-24">
        <h2 className="text-xl font-bold tracking-tight text-fg">Authentication</h2>
        <div className="mt-3 max-w-3xl space-y-3">
          <Prose text="Bots and scripts use a personal access token (`parley_pat_…`): make one in Settings → Developer access, or with `POST /api/tokens` and the account's `email` and `password` in the body. It is shown once; keep it secret. Send it as `Authorization: Bearer <token>` to every route, and as `io(SOCKET_URL, { auth: { token } })` to open the socket; nothing else is needed (no cookie, no CSRF step)." />
          <Prose text="A token's scopes must allow what it does: `read` (lists, history, sync, search, live events, `conversation:delivered`) or `write` (everything else); each route and request below says which. Without it the answer is `FORBIDDEN`. Revoking a token refuses it at once and closes its sockets; signing out does not touch tokens." />
          <Prose text="Browsers use the session cookie and a short-lived realtime token from `GET /api/realtime/token` for the socket. A write carried by the cookie must come from Parley's own pages. A request without an `Origin` header is taken for a client that is not a browser and is judged by its credential alone." />
          <Prose text="A refused handshake arrives as `connect_error` whose `data` is the error object below (`UNAUTHORIZED`, `FORBIDDEN_ORIGIN`, `UNAVAILABLE`…). Sign-in and sign-out themselves are next-auth's pages under /api/auth, for browsers, and not part of this reference." />
        </div>
        <div className="mt-4 max-w-3xl rounded-lg bg-surface p-3 ring-1 ring-line">
          <p className="mb-2 text-xs font-semibold tracking-wide text-muted uppercase">Handshake auth</p>
          <ShapeView shape={handshake} />
        </div>
      </section>

      <section id="errors" className="mt-12 scroll-mt-28 lg:scroll-mt-24">
        <h2 className="text-xl font-bold tracking-tight text-fg">Errors</h2>
        <Prose
          className="mt-3 max-w-3xl"
          text="One shape everywhere: an HTTP error is `{ error: { code, message, retryable, retryAfterMs? } }` with the status of its code; a failed ack is `{ ok: false, error }` with the same object, and so is the `data` of a refused handshake's `connect_error`. `retryable` says whether the same request may succeed later; `retryAfterMs` (and Retry-After over HTTP) says when."
        />
        <div className="mt-4 overflow-x-auto rounded-xl bg-surface ring-1 ring-line">
          <table className="w-full min-w-[36rem] text-left text-sm">
            <thead className="border-b border-line text-xs tracking-wide text-muted uppercase">
              <tr>
                <th scope="col" className="px-4 py-2.5 font-semibold">Code</th>
                <th scope="col" className="px-4 py-2.5 font-semibold">HTTP</th>
                <th scope="col" className="px-4 py-2.5 font-semibold">Means</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-line">
              {errors.map((error) => (
                <tr key={error.code}>
                  <td className="px-4 py-2.5 font-mono text-[0.8125rem] font-semibold text-fg">{error.code}</td>
                  <td className="px-4 py-2.5 font-mono text-[0.8125rem] text-muted">{error.status}</td>
                  <td className="px-4 py-2.5">
                    <Prose text={error.meaning} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}

/** Parley's HTTP API and socket for people, from the same description the JSON documents come from. Public, and static in all but the CSP nonce. */
export default function ApiReferencePage() {
  const reference = apiReference();
  const nav = [
    { href: "#overview", label: "Overview" },
    { href: "#authentication", label: "Authentication" },
    { href: "#errors", label: "Errors" },
    ...reference.areas.map((area) => ({ href: `#${slug(area.name)}`, label: area.name })),
    { href: "#shapes", label: "Shapes" },
  ];
  return (
    <div className="min-h-dvh bg-app">
      <header className="sticky top-0 z-10 border-b border-line bg-surface/95 backdrop-blur">
        <div className="mx-auto flex max-w-7xl items-center gap-3 px-4 py-3 sm:px-6">
          <Brand />
          <span className="hidden text-sm text-muted sm:inline">API reference</span>
          <nav aria-label="Documents" className="ml-auto flex gap-2">
            <a className={documentLink} href="/api/openapi.json">
              OpenAPI
            </a>
            <a className={documentLink} href="/api/asyncapi.json">
              AsyncAPI
            </a>
          </nav>
        </div>
        <nav aria-label="Sections" className="border-t border-line lg:hidden">
          <ul className="flex gap-1 overflow-x-auto px-4 py-2 text-sm whitespace-nowrap">
            {nav.map((item) => (
              <li key={item.href}>
                <a href={item.href} className="block rounded-md px-2.5 py-1 text-muted hover:bg-hover hover:text-fg">
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </header>

      <div className="mx-auto max-w-7xl px-4 py-8 sm:px-6 lg:grid lg:grid-cols-[13rem_minmax(0,1fr)] lg:gap-10 lg:py-12">
        <nav aria-label="Sections" className="hidden lg:block">
          <ul className="sticky top-24 space-y-0.5 text-sm">
            {nav.map((item) => (
              <li key={item.href}>
                <a href={item.href} className="block rounded-md px-3 py-1.5 text-muted hover:bg-hover hover:text-fg">
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>

        <main className="min-w-0">
          <Intro version={reference.version} errors={reference.errors} handshake={reference.handshake} />

          {reference.areas.map((area) => (
            <section key={area.name} id={slug(area.name)} className="mt-14 scroll-mt-28 lg:scroll-mt-24" aria-labelledby={`${slug(area.name)}-title`}>
              <h2 id={`${slug(area.name)}-title`} className="border-b border-line pb-2 text-2xl font-bold tracking-tight text-fg">
                {area.name}
              </h2>
              {area.routes.length > 0 ? <div className="mt-5 space-y-4">{area.routes.map((route) => <RouteEntry key={route.id} route={route} />)}</div> : null}
              {area.requests.length > 0 ? (
                <>
                  <h3 className="mt-8 mb-3 text-sm font-semibold tracking-wide text-muted uppercase">Socket requests</h3>
                  <div className="space-y-4">{area.requests.map((request) => <RequestEntry key={request.id} request={request} />)}</div>
                </>
              ) : null}
              {area.events.length > 0 ? (
                <>
                  <h3 className="mt-8 mb-3 text-sm font-semibold tracking-wide text-muted uppercase">Socket events</h3>
                  <div className="space-y-4">{area.events.map((event) => <EventEntry key={event.id} event={event} />)}</div>
                </>
              ) : null}
            </section>
          ))}

          <section id="shapes" className="mt-14 scroll-mt-28 lg:scroll-mt-24">
            <h2 className="border-b border-line pb-2 text-2xl font-bold tracking-tight text-fg">Shapes</h2>
            <Prose className="mt-3" text="The named objects the answers and events carry. Ids are strings; times are ISO 8601 in UTC. No object carries a field not listed here." />
            <div className="mt-5 space-y-4">
              {reference.shapes.map(({ name, description, shape }) => (
                <article key={name} id={`shape-${name}`} className="scroll-mt-28 lg:scroll-mt-24 rounded-xl bg-surface p-4 shadow-sm ring-1 ring-line sm:p-5">
                  <h3 className="font-mono text-base font-semibold text-fg">{name}</h3>
                  {description ? <Prose text={description} className="mt-1" /> : null}
                  <div className="mt-3 rounded-lg bg-sunken p-3 ring-1 ring-line">
                    <ShapeView shape={shape} />
                  </div>
                </article>
              ))}
            </div>
          </section>
        </main>
      </div>
    </div>
  );
}
